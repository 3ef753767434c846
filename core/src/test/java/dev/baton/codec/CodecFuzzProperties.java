package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Hostile bytes: random arrays, JSON-shaped noise, and single- and multi-byte mutations of valid
 * encodings, for both codecs. 100,000 tries in all.
 *
 * <p>The rules checked on every try: decoding never throws anything but
 * {@link SnapshotDecodeException}; its message never contains the token (nor a canary planted in
 * the input) and it has no cause that could echo the input.
 *
 * <p>What a successful decode may return differs by codec. The sealed codec authenticates every
 * byte, so a changed value never opens and an unchanged one gives back the original. Plain JSON
 * has no integrity: a changed letter inside the token is a different, well-formed snapshot, so
 * the rule there is that whatever decodes is a valid snapshot that survives another round trip
 * (and an unchanged value gives back the original).
 *
 * <p>A failure prints the smallest failing input QuickTheories found: byte arrays as escaped text,
 * mutations as records.
 */
class CodecFuzzProperties {
  private static final String CANARY = "CANARY7f3a9c";
  private static final JsonSnapshotCodec JSON = JsonSnapshotCodec.create();
  private static final SealingKeyRing KEYS =
      SealingKeyRing.of("k2", CodecRoundTripProperties.key(2))
          .withRetired("k1", CodecRoundTripProperties.key(1));
  private static final SealingSnapshotCodec SEALED = SealingSnapshotCodec.wrap(JSON, KEYS);
  private static final TaskKey KEY = new TaskKey("caller:fuzz", "task-1");

  // ---- random bytes --------------------------------------------------------------------------

  @Test
  void json_decodeOfRandomBytes_failsWithDecodeExceptionOrRoundTrips() {
    qt().withExamples(15_000).forAll(jsonNoise())
        .checkAssert(bytes -> assertJsonDecodeIsSafe(bytes, null, false, null));
  }

  @Test
  void sealed_decodeOfRandomBytes_failsWithDecodeException() {
    qt().withExamples(15_000).forAll(sealedNoise()).checkAssert(bytes -> {
      SnapshotDecodeException e = catchThrowableOfType(SnapshotDecodeException.class,
          () -> SEALED.decode(KEY, bytes));
      assertThat(e).as("random bytes never open").isNotNull();
      assertSafeMessage(e, null);
    });
  }

  // ---- mutations of valid encodings ----------------------------------------------------------
  // The generators weight boundaries (first and last byte, truncation to nothing) explicitly.

  @Test
  void json_decodeOfMutatedEncoding_givesOriginalOrValidSnapshotOrDecodeException() {
    qt().withExamples(35_000).forAll(snapshots(), mutations())
        .checkAssert((snapshot, mutations) -> {
      byte[] original = JSON.encode(KEY, snapshot);
      byte[] mutated = Mutation.applyAll(original, mutations);
      assertJsonDecodeIsSafe(mutated, snapshot, Arrays.equals(original, mutated),
          tokenOf(snapshot));
    });
  }

  @Test
  void sealed_decodeOfMutatedEncoding_givesOriginalOrDecodeException() {
    qt().withExamples(35_000).forAll(snapshots(), mutations())
        .checkAssert((snapshot, mutations) -> {
      byte[] original = SEALED.encode(KEY, snapshot);
      byte[] mutated = Mutation.applyAll(original, mutations);
      if (Arrays.equals(original, mutated)) {
        assertThat(SEALED.decode(KEY, mutated)).isEqualTo(snapshot);
        return;
      }
      SnapshotDecodeException e = catchThrowableOfType(SnapshotDecodeException.class,
          () -> SEALED.decode(KEY, mutated));
      assertThat(e).as("a changed sealed value never opens").isNotNull();
      assertSafeMessage(e, tokenOf(snapshot));
    });
  }

  // ---- checks --------------------------------------------------------------------------------

  /** Checks one JSON decode. */
  private static void assertJsonDecodeIsSafe(
      byte[] bytes, @Nullable TokenSnapshot original, boolean unchanged, @Nullable String token) {
    TokenSnapshot decoded;
    try {
      decoded = JSON.decode(KEY, bytes);
    } catch (SnapshotDecodeException e) {
      assertThat(unchanged).as("an unchanged encoding decodes").isFalse();
      assertSafeMessage(e, token);
      return;
    }
    assertThat(JSON.decode(KEY, JSON.encode(KEY, decoded)))
        .as("whatever decodes can be encoded and decoded again")
        .isEqualTo(decoded);
    if (unchanged) {
      assertThat(decoded).isEqualTo(original);
    }
  }

  private static void assertSafeMessage(SnapshotDecodeException e, @Nullable String token) {
    assertThat(e.getMessage()).isNotBlank().doesNotContain(CANARY);
    if (token != null) {
      assertThat(e.getMessage()).doesNotContain(token);
    }
    assertThat(e.getCause()).as("no cause that could echo the input").isNull();
  }

  private static @Nullable String tokenOf(TokenSnapshot snapshot) {
    return snapshot.accessToken().map(t -> t.token()).orElse(null);
  }

  // ---- generators ----------------------------------------------------------------------------

  private static Gen<TokenSnapshot> snapshots() {
    return SnapshotGenerators.weighted(
        1, SnapshotGenerators.anonymousSnapshots(),
        6, SnapshotGenerators.compactSnapshotsWithDistinctiveTokens());
  }

  private static Gen<List<Mutation>> mutations() {
    Gen<Double> where = SnapshotGenerators.weighted(
        1, Generate.pick(List.of(0.0, 1.0)),
        9, SourceDSL.doubles().between(0, 1));
    Gen<Mutation> one = Generate.enumValues(Mutation.Kind.class)
        .zip(where, anyByte(), Generate.range(1, 16), Mutation::new);
    return SnapshotGenerators.weighted(
        3, SourceDSL.lists().of(one).ofSize(1),
        2, SourceDSL.lists().of(one).ofSizeBetween(2, 8));
  }

  /** Uniform random bytes, and concatenations of JSON fragments of the snapshot format. */
  private static Gen<byte[]> jsonNoise() {
    List<String> fragments = List.of("{", "}", "[", "]", ":", ",", "\"", " ", "\"v\"", "1", "7",
        "-1", "0.5", "1e400", "-1e-999999999", "1E+399", "123456789012345678901234567890",
        "\"captured_at\"", "\"2024-01-01T00:00:00.123456789Z\"", "\"+1000000000-12-31T23:59:59Z\"",
        "\"anonymous\"", "true", "false", "null", "\"token\"", "\"client_id\"", "\"scopes\"",
        "\"expires_at\"", "\"resource\"", "\"claims\"", "\"" + CANARY + "\"", "\"@class\"",
        "\"java.lang.ProcessBuilder\"", "\"\\ud800\"", "\"\\u0000\"", "\"\u00e9\"", "\"\"",
        "\"   \"", "NaN", "/*", "'");
    Gen<byte[]> shaped = SourceDSL.lists().of(Generate.pick(fragments)).ofSizeBetween(0, 60)
        .map(parts -> {
          var out = new ByteArrayOutputStream();
          out.writeBytes("{\"v\":1,".getBytes(StandardCharsets.UTF_8));
          parts.forEach(p -> out.writeBytes(p.getBytes(StandardCharsets.UTF_8)));
          return out.toByteArray();
        });
    return SnapshotGenerators.weighted(1, randomBytes(300), 2, shaped)
        .describedAs(CodecFuzzProperties::describe);
  }

  /** Uniform random bytes, and random bytes behind a well-formed header naming a known key id. */
  private static Gen<byte[]> sealedNoise() {
    Gen<byte[]> behindHeader = Generate.pick(List.of("k1", "k2", "k3"))
        .zip(randomBytes(300), (id, rest) -> {
          var out = new ByteArrayOutputStream();
          out.write(SealingSnapshotCodec.MAGIC);
          out.write(SealingSnapshotCodec.FORMAT_VERSION);
          out.write(id.length());
          out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
          out.writeBytes(rest);
          return out.toByteArray();
        });
    return SnapshotGenerators.weighted(1, randomBytes(300), 2, behindHeader)
        .describedAs(CodecFuzzProperties::describe);
  }

  private static Gen<byte[]> randomBytes(int maxLength) {
    return Generate.byteArrays(Generate.range(0, maxLength), anyByte());
  }

  private static Gen<Byte> anyByte() {
    return Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
  }

  /** Bytes as text a reader can paste into a test: printable ASCII as is, the rest as \\xNN. */
  static String describe(byte[] bytes) {
    var sb = new StringBuilder(bytes.length + 16).append(bytes.length).append(" bytes: ");
    for (byte b : bytes) {
      if (b >= ' ' && b <= '~' && b != '\\') {
        sb.append((char) b);
      } else {
        sb.append(String.format("\\x%02x", b & 0xff));
      }
    }
    return sb.toString();
  }

  /** One change to a byte array, at a position given as a fraction of its length. */
  record Mutation(Kind kind, double where, byte value, int span) {
    enum Kind { REPLACE, FLIP_BIT, INSERT, DELETE, TRUNCATE, DUPLICATE_SPAN, ZERO_SPAN }

    static byte[] applyAll(byte[] bytes, List<Mutation> mutations) {
      byte[] out = bytes.clone();
      for (Mutation m : mutations) {
        out = m.apply(out);
      }
      return out;
    }

    byte[] apply(byte[] in) {
      int at = Math.min(in.length, (int) (where * in.length));
      int end = Math.min(in.length, at + span);
      return switch (kind) {
        case REPLACE -> set(in, at, value);
        case FLIP_BIT -> at == in.length ? in : set(in, at, (byte) (in[at] ^ (1 << (span % 8))));
        case INSERT -> concat(Arrays.copyOfRange(in, 0, at), new byte[] {value},
            Arrays.copyOfRange(in, at, in.length));
        case DELETE -> concat(Arrays.copyOfRange(in, 0, at), Arrays.copyOfRange(in, end, in.length));
        case TRUNCATE -> Arrays.copyOf(in, at);
        case DUPLICATE_SPAN -> concat(Arrays.copyOfRange(in, 0, end),
            Arrays.copyOfRange(in, at, in.length));
        case ZERO_SPAN -> {
          byte[] out = in.clone();
          Arrays.fill(out, at, end, (byte) 0);
          yield out;
        }
      };
    }

    private static byte[] set(byte[] in, int at, byte value) {
      if (at == in.length) {
        return in;
      }
      byte[] out = in.clone();
      out[at] = value;
      return out;
    }

    private static byte[] concat(byte[]... parts) {
      var out = new ByteArrayOutputStream();
      for (byte[] part : parts) {
        out.writeBytes(part);
      }
      return out.toByteArray();
    }
  }
}
