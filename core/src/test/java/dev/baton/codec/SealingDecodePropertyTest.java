package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Whatever a store hands back, the sealing decoder answers with a snapshot it sealed or a
 * {@link SnapshotDecodeException}: never another exception type, never a secret in the message.
 */
class SealingDecodePropertyTest {
  private static final TaskKey KEY = new TaskKey("caller:abc", "task-1");
  private static final String SECRET = "tok_PROPERTY0123456789abcdef";
  private static final TokenSnapshot SNAPSHOT = TokenSnapshot.of(
      new AccessToken(SECRET, "client-1", List.of("read"), Instant.parse("2030-01-01T00:00:00Z"),
          null, Map.of("sub", "alice")),
      Instant.parse("2025-01-02T03:04:05Z"));
  private static final byte[] KEY_BYTES = new byte[SealingKeyRing.KEY_BYTES];
  private static final SealingSnapshotCodec CODEC = SealingSnapshotCodec.wrap(
      JsonSnapshotCodec.create(), SealingKeyRing.of("k1", KEY_BYTES));
  private static final byte[] SEALED = CODEC.encode(KEY, SNAPSHOT);

  /** Header starts a decoder is most likely to trip on: sealed magic, both formats, odd lengths. */
  private static final Gen<byte[]> PREFIXES = Generate.pick(List.of(
      new byte[0], new byte[] {(byte) 0xBA}, new byte[] {(byte) 0xBA, 1},
      new byte[] {(byte) 0xBA, 2}, new byte[] {(byte) 0xBA, 2, 2, 'k', '1'},
      new byte[] {(byte) 0xBA, 1, 2, 'k', '1'}, new byte[] {(byte) 0xBA, 2, 0},
      new byte[] {(byte) 0xBA, 2, (byte) 0xFF}, new byte[] {(byte) 0xBA, 2, 33}));

  private static final Gen<byte[]> ANY_BYTES = PREFIXES.zip(
      Generate.byteArrays(Generate.range(0, 120),
          Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)),
      SealingDecodePropertyTest::concat);

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void decode_ofArbitraryBytes_throwsOnlySnapshotDecodeException() {
    qt().withExamples(3000).forAll(ANY_BYTES).checkAssert(bytes ->
        assertThatThrownBy(() -> CODEC.decode(KEY, bytes))
            .isInstanceOf(SnapshotDecodeException.class));
  }

  @Test
  void decode_ofASealedValueWithAByteChangedAndLengthChanged_throwsSnapshotDecodeException() {
    qt().withExamples(3000)
        .forAll(Generate.range(0, SEALED.length - 1), Generate.range(1, 255),
            Generate.range(-SEALED.length, 8))
        .checkAssert((index, mask, lengthDelta) -> {
          byte[] changed = SEALED.clone();
          changed[index] ^= mask.byteValue();
          byte[] resized = Arrays.copyOf(changed, SEALED.length + lengthDelta);
          assertThatThrownBy(() -> CODEC.decode(KEY, resized))
              .isInstanceOf(SnapshotDecodeException.class)
              .hasMessageNotContaining(SECRET);
        });
  }
}
