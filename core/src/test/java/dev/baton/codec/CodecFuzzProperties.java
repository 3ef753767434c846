package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import org.jspecify.annotations.Nullable;

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

  @Property(tries = 15_000)
  void json_decodeOfRandomBytes_failsWithDecodeExceptionOrRoundTrips(
      @ForAll("jsonNoise") byte[] bytes) {
    Statistics.collect(assertJsonDecodeIsSafe(bytes, null, false, null));
  }

  @Property(tries = 15_000)
  void sealed_decodeOfRandomBytes_failsWithDecodeException(@ForAll("sealedNoise") byte[] bytes) {
    SnapshotDecodeException e = catchThrowableOfType(SnapshotDecodeException.class,
        () -> SEALED.decode(KEY, bytes));
    assertThat(e).as("random bytes never open").isNotNull();
    assertSafeMessage(e, null);
  }

  // ---- mutations of valid encodings ----------------------------------------------------------
  // Random tries only: the combined edge cases of these parameters number in the tens of thousands
  // and cost more to build than they find; the generators weight boundaries (first and last byte,
  // truncation to nothing) explicitly instead.

  @Property(tries = 35_000, edgeCases = EdgeCasesMode.NONE)
  void json_decodeOfMutatedEncoding_givesOriginalOrValidSnapshotOrDecodeException(
      @ForAll("snapshots") TokenSnapshot snapshot, @ForAll("mutations") List<Mutation> mutations) {
    byte[] original = JSON.encode(KEY, snapshot);
    byte[] mutated = Mutation.applyAll(original, mutations);
    Statistics.collect(
        assertJsonDecodeIsSafe(mutated, snapshot, Arrays.equals(original, mutated),
            tokenOf(snapshot)));
  }

  @Property(tries = 35_000, edgeCases = EdgeCasesMode.NONE)
  void sealed_decodeOfMutatedEncoding_givesOriginalOrDecodeException(
      @ForAll("snapshots") TokenSnapshot snapshot, @ForAll("mutations") List<Mutation> mutations) {
    byte[] original = SEALED.encode(KEY, snapshot);
    byte[] mutated = Mutation.applyAll(original, mutations);
    if (Arrays.equals(original, mutated)) {
      assertThat(SEALED.decode(KEY, mutated)).isEqualTo(snapshot);
      Statistics.collect("unchanged, decoded to the original");
      return;
    }
    SnapshotDecodeException e = catchThrowableOfType(SnapshotDecodeException.class,
        () -> SEALED.decode(KEY, mutated));
    assertThat(e).as("a changed sealed value never opens").isNotNull();
    assertSafeMessage(e, tokenOf(snapshot));
    Statistics.collect("changed, refused");
  }

  // ---- checks --------------------------------------------------------------------------------

  /** Checks one JSON decode and returns its outcome, for the statistics report. */
  private static String assertJsonDecodeIsSafe(
      byte[] bytes, @Nullable TokenSnapshot original, boolean unchanged, @Nullable String token) {
    TokenSnapshot decoded;
    try {
      decoded = JSON.decode(KEY, bytes);
    } catch (SnapshotDecodeException e) {
      assertThat(unchanged).as("an unchanged encoding decodes").isFalse();
      assertSafeMessage(e, token);
      return "refused";
    }
    assertThat(JSON.decode(KEY, JSON.encode(KEY, decoded)))
        .as("whatever decodes can be encoded and decoded again")
        .isEqualTo(decoded);
    if (unchanged) {
      assertThat(decoded).isEqualTo(original);
      return "unchanged, decoded to the original";
    }
    return decoded.equals(original) ? "changed, decoded to the original"
        : "changed, decoded to another well-formed snapshot";
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

  @Provide
  Arbitrary<TokenSnapshot> snapshots() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, SnapshotArbitraries.anonymousSnapshots()),
        Tuple.of(6, SnapshotArbitraries.compactSnapshotsWithDistinctiveTokens()));
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Mutation> one = Combinators.combine(
            Arbitraries.of(Mutation.Kind.class),
            Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(0.0, 1.0)),
                Tuple.of(9, Arbitraries.doubles().between(0, 1))),
            Arbitraries.bytes(),
            Arbitraries.integers().between(1, 16))
        .as(Mutation::new);
    return Arbitraries.frequencyOf(
        Tuple.of(3, one.list().ofSize(1)),
        Tuple.of(2, one.list().ofMinSize(2).ofMaxSize(8)));
  }

  /** Uniform random bytes, and concatenations of JSON fragments of the snapshot format. */
  @Provide
  Arbitrary<byte[]> jsonNoise() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    List<String> fragments = List.of("{", "}", "[", "]", ":", ",", "\"", " ", "\"v\"", "1", "7",
        "-1", "0.5", "1e400", "-1e-999999999", "1E+399", "123456789012345678901234567890",
        "\"captured_at\"", "\"2024-01-01T00:00:00.123456789Z\"", "\"+1000000000-12-31T23:59:59Z\"",
        "\"anonymous\"", "true", "false", "null", "\"token\"", "\"client_id\"", "\"scopes\"",
        "\"expires_at\"", "\"resource\"", "\"claims\"", "\"" + CANARY + "\"", "\"@class\"",
        "\"java.lang.ProcessBuilder\"", "\"\\ud800\"", "\"\\u0000\"", "\"\u00e9\"", "\"\"",
        "\"   \"", "NaN", "/*", "'");
    Arbitrary<byte[]> shaped = Arbitraries.of(fragments).list().ofMaxSize(60)
        .map(parts -> {
          var out = new ByteArrayOutputStream();
          out.writeBytes("{\"v\":1,".getBytes(StandardCharsets.UTF_8));
          parts.forEach(p -> out.writeBytes(p.getBytes(StandardCharsets.UTF_8)));
          return out.toByteArray();
        });
    return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(2, shaped));
  }

  /** Uniform random bytes, and random bytes behind a well-formed header naming a known key id. */
  @Provide
  Arbitrary<byte[]> sealedNoise() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<byte[]> behindHeader = Combinators.combine(
            Arbitraries.of("k1", "k2", "k3"),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
        .as((id, rest) -> {
          var out = new ByteArrayOutputStream();
          out.write(SealingSnapshotCodec.MAGIC);
          out.write(SealingSnapshotCodec.FORMAT_VERSION);
          out.write(id.length());
          out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
          out.writeBytes(rest);
          return out.toByteArray();
        });
    return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(2, behindHeader));
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
