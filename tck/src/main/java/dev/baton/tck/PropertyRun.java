package dev.baton.tck;

import java.util.List;
import java.util.function.Consumer;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.AsString;
import org.quicktheories.core.Gen;
import org.quicktheories.core.Reporter;

/**
 * Runs one of the kit's properties on QuickTheories and words its failure: the rule first, the
 * store, the smallest failing sample (escaped, so that reports stay well-formed XML), the seed to
 * replay it, then what went wrong. Nothing is printed; a failure is thrown.
 */
final class PropertyRun {
  /** Enough shrink steps to cut a 30-step chain down, bounded so a slow store fails in time. */
  static final int SHRINK_CYCLES = 400;

  private final String rule;
  private final String store;
  private final int tries;

  /**
   * @param rule the property as a sentence, e.g. "a generated snapshot loads equal to the one
   *     saved"
   * @param store the implementer's verification class, named in the failure
   * @param tries how many samples to try (at least 1)
   */
  PropertyRun(String rule, String store, int tries) {
    this.rule = rule;
    this.store = store;
    this.tries = tries;
  }

  /** Checks {@code property} (which throws on failure) for {@link #tries} samples of {@code gen}. */
  <T> void check(Gen<T> gen, Consumer<T> property) {
    QuickTheory.qt()
        .withExamples(tries)
        .withShrinkCycles(SHRINK_CYCLES)
        .withReporter(new Words())
        .forAll(gen)
        .checkAssert(property);
  }

  private final class Words implements Reporter {
    @Override
    public void falisification(long seed, int examplesUsed, Object smallest, Throwable cause,
        List<Object> others, AsString<Object> toString) {
      String message = header(seed, examplesUsed, smallest, toString)
          + "\nwhat failed: " + (cause instanceof AssertionError
              ? String.valueOf(cause.getMessage())
              : "the store threw " + cause);
      AssertionError failure = new AssertionError(SampleText.escape(message));
      failure.initCause(SampleText.safeCopy(cause, ""));
      throw failure;
    }

    @Override
    public void falisification(long seed, int examplesUsed, Object smallest, List<Object> others,
        AsString<Object> toString) {
      throw new AssertionError(SampleText.escape(header(seed, examplesUsed, smallest, toString)));
    }

    @Override
    public void valuesExhausted(int examplesUsed) {
      throw new AssertionError(SampleText.escape(rule + " [" + store + "]: the generators gave up"
          + " after " + examplesUsed + " samples — if this fails, check baton.tck.tries (a bug in"
          + " the kit's generators otherwise)"));
    }

    private String header(long seed, int examplesUsed, Object smallest,
        AsString<Object> toString) {
      return rule + " [" + store + "]: falsified after " + examplesUsed + " of " + tries
          + " samples (replay with -DQT_SEED=" + seed + "); the smallest failing sample:\n"
          + toString.asString(smallest);
    }
  }
}
