package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;

/**
 * Coverage-guided fuzzing of the sealing decoder with a fixed key ring (Jazzer). Under
 * {@code mvn verify} this replays the committed inputs in
 * {@code SealingSnapshotCodecFuzzTestInputs/}; {@code scripts/fuzz} runs it as a fuzzer.
 *
 * <p>The rules on every input: decoding throws nothing but {@link SnapshotDecodeException}, with a
 * message that never holds the token and no cause; what opens (the committed values sealed under
 * k2 and the retired k1 do; forging another would mean breaking AES-GCM) is a valid snapshot that
 * seals and opens back to itself.
 */
class SealingSnapshotCodecFuzzTest {
  private static final SealingSnapshotCodec SEALED = SealingSnapshotCodec.wrap(
      JsonSnapshotCodec.create(),
      SealingKeyRing.of("k2", CodecRoundTripProperties.key(2))
          .withRetired("k1", CodecRoundTripProperties.key(1)));
  private static final TaskKey KEY = new TaskKey("caller:fuzz", "task-1");

  @FuzzTest(maxDuration = "2m")
  void decode_anyBytes_givesValidSnapshotOrDecodeException(byte[] bytes) {
    TokenSnapshot decoded;
    try {
      decoded = SEALED.decode(KEY, bytes);
    } catch (SnapshotDecodeException e) {
      FuzzRules.assertSafeMessage(e);
      return;
    }
    assertThat(SEALED.decode(KEY, SEALED.encode(KEY, decoded))).isEqualTo(decoded);
  }
}
