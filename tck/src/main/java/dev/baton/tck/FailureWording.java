package dev.baton.tck;

import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Words every failure of a check the same way: it names the store (the implementer's verification
 * class), it starts with the rule being checked also when the store itself threw, and its text is
 * escaped so that a test report stays well-formed XML whatever the samples held.
 */
final class FailureWording
    implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    throw reword(context, thrown);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    throw reword(context, thrown);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    throw reword(context, thrown);
  }

  static Throwable reword(ExtensionContext context, Throwable thrown) {
    if (thrown instanceof TestAbortedException) {
      return thrown; // a skipped check (undeclared capability) stays skipped
    }
    String store = storeName(context.getRequiredTestClass());
    String check = context.getTestMethod().map(m -> m.getName()).orElse("(set-up)");
    if (thrown instanceof AssertionError) {
      return SampleText.safeCopy(thrown, "[" + store + "] ");
    }
    AssertionError failure = new AssertionError(SampleText.escape(ruleOf(check) + " [" + store
        + "]: the store threw " + thrown.getClass().getName() + ": " + thrown.getMessage()
        + " — if this fails, check that the store does not throw here (the cause below is its"
        + " exception)"));
    failure.initCause(SampleText.safeCopy(thrown, ""));
    return failure;
  }

  /** The verification's class name without its package (nested classes keep their outer name). */
  static String storeName(Class<?> verification) {
    String name = verification.getName();
    String pkg = verification.getPackageName();
    return pkg.isEmpty() ? name : name.substring(pkg.length() + 1);
  }

  /**
   * The rule a check's name states, as words: {@code load_afterTtl_isEmpty} reads "check
   * load_afterTtl_isEmpty: load, after ttl, is empty".
   */
  static String ruleOf(String check) {
    StringBuilder words = new StringBuilder();
    for (String part : check.split("_")) {
      if (words.length() > 0) {
        words.append(", ");
      }
      words.append(part.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT));
    }
    return "check " + check + ": " + words;
  }
}
