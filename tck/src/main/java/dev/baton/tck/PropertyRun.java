package dev.baton.tck;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.AsString;
import org.quicktheories.core.Gen;
import org.quicktheories.core.Reporter;

/**
 * Runs one of the kit's properties on QuickTheories and words its failure: the rule first, the
 * smallest failing sample (escaped, so that reports stay well-formed XML), the seed to
 * replay it, then what went wrong. Nothing is printed; a failure is thrown.
 */
final class PropertyRun {
  /** Enough shrink steps to cut a 30-step chain down, bounded so a slow store fails in time. */
  static final int SHRINK_CYCLES = 400;

  private final String rule;
  private final int tries;

  /**
   * @param rule the property as a sentence, e.g. "a generated snapshot loads equal to the one
   *     saved"
   * @param tries how many samples to try (at least 1)
   */
  PropertyRun(String rule, int tries) {
    this.rule = rule;
    this.tries = tries;
  }

  /** Checks {@code property} (which throws on failure) for {@link #tries} samples of {@code gen}. */
  <T> void check(Gen<T> gen, Consumer<T> property) {
    check(gen, property, sample -> sample);
  }

  /**
   * Like {@link #check(Gen, Consumer)}, and once QuickTheories has shrunk a failing sample,
   * {@code minimize} shrinks it further (QuickTheories shortens lists only from the end; a chain
   * of operations also needs steps taken out of the middle). The minimized sample is reported
   * with its own failure.
   */
  <T> void check(Gen<T> gen, Consumer<T> property, UnaryOperator<T> minimize) {
    QuickTheory.qt()
        .withExamples(tries)
        .withShrinkCycles(SHRINK_CYCLES)
        .withReporter(new Words(property, minimize))
        .forAll(gen)
        .checkAssert(property);
  }

  private final class Words implements Reporter {
    private final Consumer<Object> property;
    private final UnaryOperator<Object> minimize;

    @SuppressWarnings("unchecked")
    <T> Words(Consumer<T> property, UnaryOperator<T> minimize) {
      this.property = (Consumer<Object>) property;
      this.minimize = (UnaryOperator<Object>) minimize;
    }

    @Override
    public void falisification(long seed, int examplesUsed, Object shrunk, Throwable shrunkCause,
        List<Object> others, AsString<Object> toString) {
      Object smallest = shrunk;
      Throwable cause = shrunkCause;
      Object minimized = minimize.apply(shrunk);
      if (minimized != shrunk) {
        try {
          property.accept(minimized);
        } catch (AssertionError | RuntimeException e) {
          smallest = minimized;
          cause = e;
        }
      }
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
      throw new AssertionError(SampleText.escape(rule + ": the generators gave up"
          + " after " + examplesUsed + " samples — if this fails, check baton.tck.tries (a bug in"
          + " the kit's generators otherwise)"));
    }

    private String header(long seed, int examplesUsed, Object smallest,
        AsString<Object> toString) {
      return rule + ": falsified after " + examplesUsed + " of " + tries
          + " samples (replay with -DQT_SEED=" + seed + "); the smallest failing sample:\n"
          + toString.asString(smallest);
    }
  }
}
