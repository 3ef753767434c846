package dev.baton.micrometer;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/** Records one store operation: its duration, outcome and any exception. */
interface OperationRecorder {
  /**
   * Runs {@code operation}, recording it under {@code name}; {@code outcome} names a normal result.
   * Exceptions pass through unchanged.
   */
  <T> T record(String name, String store, Supplier<T> operation, Function<T, String> outcome);

  /**
   * Starts {@code operation} and records it under {@code name} when its stage completes (outcome
   * {@code success}, or the stage's error); an exception thrown at once is recorded and passes
   * through unchanged. Returns the operation's own stage.
   */
  CompletionStage<Void> recordAsync(String name, String store,
      Supplier<CompletionStage<Void>> operation);

  /** A stage's own failure, not the {@code CompletionException} a derived stage wraps it in. */
  static Throwable cause(Throwable error) {
    Throwable cause = error.getCause();
    return error instanceof CompletionException && cause != null ? cause : error;
  }
}
