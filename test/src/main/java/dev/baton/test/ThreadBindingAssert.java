package dev.baton.test;

import dev.baton.AccessToken;
import dev.baton.Baton;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what the current thread is bound to (a thread's bindings are visible only on that
 * thread). Obtain through {@link BatonAssertions#assertThatCurrentThread()}.
 */
public final class ThreadBindingAssert extends AbstractAssert<ThreadBindingAssert, Thread> {

  ThreadBindingAssert(Thread actual) {
    super(actual, ThreadBindingAssert.class);
  }

  /**
   * Verifies that the thread holds no request binding and no task context: nothing it could leak
   * to the next task on a pooled thread.
   */
  public ThreadBindingAssert holdsNoBinding() {
    checkCurrent();
    String binding = ThreadBindings.describeCurrent();
    if (binding != null) {
      failWithMessage("Expecting thread %s to hold no binding, but it holds %s",
          actual.getName(), binding);
    }
    return this;
  }

  /** Verifies that {@link Baton#currentToken()} on this thread is a token of {@code subject}. */
  public ThreadBindingAssert actsAs(String subject) {
    Objects.requireNonNull(subject, "subject");
    checkCurrent();
    Optional<AccessToken> token = Baton.currentToken();
    if (token.isEmpty()) {
      failWithMessage("Expecting thread %s to act as %s, but it has no valid token",
          actual.getName(), subject);
    } else if (!subject.equals(token.get().subject())) {
      failWithMessage("Expecting thread %s to act as %s, but it acts as %s", actual.getName(),
          subject, ThreadBindings.describe(token.get()));
    }
    return this;
  }

  private void checkCurrent() {
    isNotNull();
    if (actual != Thread.currentThread()) {
      throw new IllegalStateException("a thread's bindings can be checked only on that thread");
    }
  }
}
