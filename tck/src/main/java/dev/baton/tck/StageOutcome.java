package dev.baton.tck;

import static dev.baton.tck.Checks.rule;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * How a store's {@code saveAsync} stage ended: normally, or with the store's own exception (unwrapped
 * from the {@link CompletionException} a derived stage wraps it in). Waiting is bounded by
 * {@code baton.tck.timeout}: a stage that never completes fails the check, it never hangs the kit.
 */
record StageOutcome(@Nullable Throwable failure) {

  static StageOutcome await(@Nullable CompletionStage<?> stage, Duration timeout) {
    if (stage == null) {
      throw new AssertionError(rule("saveAsync returns a stage, never null",
          "that every path of saveAsync returns a CompletionStage (a completed one when the write"
              + " is already done)"));
    }
    // Through a future of our own: a store's stage need not support toCompletableFuture().
    var done = new CompletableFuture<@Nullable Void>();
    stage.whenComplete((value, error) -> {
      if (error == null) {
        done.complete(null);
      } else {
        done.completeExceptionally(error);
      }
    });
    try {
      done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new StageOutcome(null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return new StageOutcome(cause);
    } catch (TimeoutException e) {
      throw new AssertionError(rule("the stage returned by saveAsync completes, normally or"
              + " exceptionally, within " + timeout + " (baton.tck.timeout)",
          "that every backend reply and every failure (timeouts, a lost connection) completes the"
              + " stage; a write that is never answered must still end in a TokenStoreException"),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for saveAsync", e);
    }
  }

  void requireCompletedNormally(String what) {
    Throwable f = failure;
    if (f != null) {
      throw new AssertionError(what + " completed exceptionally: " + f, f);
    }
  }
}
