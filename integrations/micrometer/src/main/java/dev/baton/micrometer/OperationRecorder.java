package dev.baton.micrometer;

import java.util.function.Function;
import java.util.function.Supplier;

/** Records one store operation: its duration, outcome and any exception. */
interface OperationRecorder {
  /**
   * Runs {@code operation}, recording it under {@code name}; {@code outcome} names a normal result.
   * Exceptions pass through unchanged.
   */
  <T> T record(String name, String store, Supplier<T> operation, Function<T, String> outcome);
}
