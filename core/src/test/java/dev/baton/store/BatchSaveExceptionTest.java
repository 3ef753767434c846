package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.TaskKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A {@link BatchSaveException} names the keys that failed; a copy deserialized elsewhere, which
 * does not carry them, never answers as if every key had been stored.
 */
class BatchSaveExceptionTest {
  private final TaskKey failed = new TaskKey("tenant", "failed-task-0123456789");
  private final BatchSaveException original = new BatchSaveException(
      3, Map.of(failed, new TokenStoreException("Redis SET for task " + failed + " timed out")));

  private static BatchSaveException roundTrip(BatchSaveException e)
      throws IOException, ClassNotFoundException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(e);
    }
    try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (BatchSaveException) in.readObject();
    }
  }

  @Test
  void failures_nameEachFailedKey() {
    assertThat(original.failures()).containsOnlyKeys(failed);
    assertThat(original.batchSize()).isEqualTo(3);
  }

  @Test
  void deserializedCopy_keepsMessageAndBatchSize() throws Exception {
    BatchSaveException copy = roundTrip(original);
    assertThat(copy).hasMessage(original.getMessage());
    assertThat(copy.batchSize()).isEqualTo(3);
  }

  @Test
  void deserializedCopy_refusesFailuresRatherThanAnswerThatNothingFailed() throws Exception {
    BatchSaveException copy = roundTrip(original);
    assertThatThrownBy(copy::failures).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not serialized")
        .hasMessageContaining("1 of 3 writes of a batch failed");
  }

  @Test
  void serializedForm_holdsNoWholeTaskKey() throws Exception {
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(original);
    }
    // A task key is a capability: the message names it redacted, and the map is not written.
    assertThat(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(failed.taskId());
  }
}
