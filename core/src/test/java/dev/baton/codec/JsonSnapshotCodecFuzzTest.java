package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;

/**
 * Coverage-guided fuzzing of the JSON decoder (Jazzer). Under {@code mvn verify} this replays the
 * committed inputs in {@code JsonSnapshotCodecFuzzTestInputs/}; {@code scripts/fuzz} runs it as a
 * fuzzer.
 *
 * <p>The rules on every input: decoding throws nothing but {@link SnapshotDecodeException}, whose
 * message never holds the token and which has no cause that could echo the input; whatever
 * decodes is a valid snapshot that encodes and decodes back to itself.
 */
class JsonSnapshotCodecFuzzTest {
  private static final JsonSnapshotCodec JSON = JsonSnapshotCodec.create();
  private static final TaskKey KEY = new TaskKey("caller:fuzz", "task-1");

  @FuzzTest(maxDuration = "3m")
  void decode_anyBytes_givesValidSnapshotOrDecodeException(byte[] bytes) {
    TokenSnapshot decoded;
    try {
      decoded = JSON.decode(KEY, bytes);
    } catch (SnapshotDecodeException e) {
      FuzzRules.assertSafeMessage(e);
      return;
    }
    assertThat(JSON.decode(KEY, JSON.encode(KEY, decoded))).isEqualTo(decoded);
  }
}
