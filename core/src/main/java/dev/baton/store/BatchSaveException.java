package dev.baton.store;

import dev.baton.TaskKey;
import java.util.Map;
import java.util.Objects;

/**
 * Some writes of a {@link TokenSnapshotStore#saveAllAsync batch save} failed: {@link #failures()}
 * names each key that failed and why; every other key of the batch was stored.
 *
 * <p>A failed key's entry is unknown, not absent: a write that timed out may have reached the
 * backend. Retry those keys, or delete them, before handing them to workers. The message names
 * the number of failures and the first key with its cause's message (which, by the store contract,
 * names the key, never the token).
 */
public class BatchSaveException extends TokenStoreException {
  private static final long serialVersionUID = 1L;

  /**
   * Not serialized: task keys are capabilities and store failures are for the process that made
   * them. A deserialized copy keeps its message and {@link #batchSize()} and refuses
   * {@link #failures()}, so that it can never claim that every key was stored.
   */
  private final transient Map<TaskKey, Throwable> failures;
  private final int batchSize;

  /**
   * An exception for a batch of {@code batchSize} writes of which those in {@code failures} failed.
   *
   * @param batchSize the number of keys in the batch
   * @param failures each failed key and its failure; copied
   * @throws NullPointerException if {@code failures}, a key or a failure in it, is null
   * @throws IllegalArgumentException if {@code failures} is empty or larger than the batch
   */
  public BatchSaveException(int batchSize, Map<TaskKey, ? extends Throwable> failures) {
    super(message(batchSize, failures), firstCause(failures));
    this.failures = Map.copyOf(failures);
    this.batchSize = batchSize;
  }

  /**
   * Each key whose write failed, with the store's failure for it; unmodifiable, never empty.
   *
   * @throws IllegalStateException on a copy deserialized from elsewhere: the keys are not
   *     serialized (an empty map would say that every key was stored)
   */
  public Map<TaskKey, Throwable> failures() {
    if (failures == null) {
      throw new IllegalStateException("the failed keys are not serialized: this is a copy of a"
          + " BatchSaveException from another process; " + getMessage());
    }
    return failures;
  }

  /** The number of keys in the batch: every one not in {@link #failures()} was stored. */
  public int batchSize() {
    return batchSize;
  }

  private static String message(int batchSize, Map<TaskKey, ? extends Throwable> failures) {
    Objects.requireNonNull(failures, "failures");
    if (failures.isEmpty() || failures.size() > batchSize) {
      throw new IllegalArgumentException("failures must be 1 to " + batchSize + " keys: "
          + failures.size());
    }
    var first = failures.entrySet().iterator().next();
    return failures.size() + " of " + batchSize + " writes of a batch failed; the others were"
        + " stored (first: task " + first.getKey() + ": " + first.getValue().getMessage() + ")";
  }

  private static Throwable firstCause(Map<TaskKey, ? extends Throwable> failures) {
    return failures.values().iterator().next();
  }
}
