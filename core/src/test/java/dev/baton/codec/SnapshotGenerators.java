package dev.baton.codec;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * QuickTheories generators for snapshots, tokens, claims and task keys, shared by every test that
 * needs realistic and awkward values:
 * <pre>{@code
 * qt().withExamples(2000).forAll(SnapshotGenerators.snapshots()).checkAssert(snapshot -> ...);
 * }</pre>
 *
 * <p>What they cover: anonymous snapshots; bearer tokens that are JWT-shaped, unicode (including
 * supplementary characters) or large; empty, small and large scope lists;
 * absent and present expiry and resource; instants anywhere in {@link Instant}'s range with
 * nanosecond precision; claims nested up to {@link AccessToken}'s limit holding every JSON type and
 * every Java number type {@code AccessToken} accepts (Integer, Long, Float, Double, BigInteger,
 * BigDecimal), empty strings and null values.
 *
 * <p>Values are built by construction rather than filtered, so generation never gives up; they
 * shrink through QuickTheories' precursors, and a failure prints them with their
 * {@code toString} (which never shows a bearer token).
 *
 * <p>Every generated snapshot encodes within {@link JsonSnapshotCodec#DEFAULT_MAX_ENCODED_BYTES}.
 */
@SuppressWarnings("exports") // test code patched into dev.baton.core; QuickTheories is not its API
public final class SnapshotGenerators {
  /** The prefix of every {@link #distinctiveTokens()} value. */
  public static final String DISTINCTIVE_TOKEN_PREFIX = "tok_";

  /** AccessToken's claim nesting limit. */
  private static final int MAX_CLAIM_DEPTH = AccessToken.MAX_CLAIM_DEPTH;

  private static final String ALPHANUMERIC =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  /** How many UTF-16 code units are surrogates, which generated text skips over. */
  private static final int SURROGATES = Character.MAX_SURROGATE - Character.MIN_SURROGATE + 1;

  private SnapshotGenerators() {}

  /** Snapshots of any kind: mostly with a token, some anonymous. */
  public static Gen<TokenSnapshot> snapshots() {
    return weighted(
        1, anonymousSnapshots(),
        5, accessTokens().zip(instants(), TokenSnapshot::of));
  }

  /**
   * Small snapshots (a few hundred bytes encoded) whose bearer token is
   * {@linkplain #distinctiveTokens() distinctive}: cheap enough to generate for fuzzing at tens of
   * thousands of tries, and fit for checks that the token never appears in a message.
   */
  public static Gen<TokenSnapshot> compactSnapshotsWithDistinctiveTokens() {
    Gen<Identity> identities = distinctiveTokens().zip(nonBlankText(1, 12),
        SourceDSL.lists().of(nonBlankText(1, 12)).ofSizeBetween(0, 3), Identity::new);
    Gen<AccessToken> tokens = identities.zip(orNull(3, instants()), orNull(5, nonBlankText(1, 12)),
        claimObject(1, 3), SnapshotGenerators::token);
    return tokens.zip(instants(), TokenSnapshot::of);
  }

  /** Anonymous snapshots, at any instant. */
  public static Gen<TokenSnapshot> anonymousSnapshots() {
    return instants().map(TokenSnapshot::anonymous);
  }

  /** Access tokens with every component varied. */
  public static Gen<AccessToken> accessTokens() {
    Gen<Identity> identities =
        bearerTokens().zip(nonBlankText(1, 40), scopeLists(), Identity::new);
    return identities.zip(orNull(3, instants()), orNull(5, nonBlankText(1, 60)), claims(),
        SnapshotGenerators::token);
  }

  /** Bearer tokens: JWT-shaped, arbitrary unicode, or large (up to 4000 characters). */
  public static Gen<String> bearerTokens() {
    return weighted(
        4, jwtShaped(),
        2, nonBlankText(1, 60),
        1, SourceDSL.strings().betweenCodePoints('!', '~').ofLengthBetween(1000, 4000));
  }

  /**
   * Bearer tokens that cannot occur by chance in a message: {@value #DISTINCTIVE_TOKEN_PREFIX}
   * followed by 24 to 48 letters and digits.
   */
  public static Gen<String> distinctiveTokens() {
    return fromAlphabet(ALPHANUMERIC, 24, 48).map(s -> DISTINCTIVE_TOKEN_PREFIX + s);
  }

  /** Scope lists: empty, a few unicode scopes, or hundreds of short ones. */
  public static Gen<List<String>> scopeLists() {
    return weighted(
        1, Generate.constant(List.of()),
        4, SourceDSL.lists().of(nonBlankText(1, 30)).ofSizeBetween(0, 6),
        1, SourceDSL.lists().of(fromAlphabet(ALPHANUMERIC, 1, 12).map(s -> "scope:" + s))
            .ofSizeBetween(100, 300));
  }

  /**
   * Instants anywhere from {@link Instant#MIN} to {@link Instant#MAX} with any nanosecond, most of
   * them in this century; the extremes and the epoch as edge cases.
   */
  public static Gen<Instant> instants() {
    Gen<Integer> nanos = Generate.range(0, 999_999_999);
    Gen<Instant> anywhere = Generate.longRange(Instant.MIN.getEpochSecond(),
            Instant.MAX.getEpochSecond())
        .zip(nanos, (seconds, nano) -> Instant.ofEpochSecond(seconds, nano));
    Gen<Instant> recent = Generate.longRange(946_684_800L, 4_102_444_800L)
        .zip(nanos, (seconds, nano) -> Instant.ofEpochSecond(seconds, nano));
    return weighted(
        6, recent,
        2, anywhere,
        1, Generate.pick(List.of(Instant.MIN, Instant.MAX, Instant.EPOCH)));
  }

  /** Claims: JSON values of every kind, nested a few levels, sometimes nested to the limit. */
  public static Gen<Map<String, @Nullable Object>> claims() {
    return weighted(
        1, Generate.constant(Map.<String, @Nullable Object>of()),
        8, claimObject(2, 6),
        1, deepClaims());
  }

  /** A single claim value of any JSON kind (leaf or container), nested at most {@code depth}. */
  public static Gen<@Nullable Object> claimValues(int depth) {
    if (depth <= 0) {
      return claimLeaves();
    }
    return weighted(
        8, claimLeaves(),
        1, SourceDSL.lists().of(claimValues(depth - 1)).ofSizeBetween(0, 3).map(l -> (Object) l),
        1, claimObject(depth - 1, 3).map(m -> (Object) m));
  }

  private static Gen<Map<String, @Nullable Object>> claimObject(int depth, int maxSize) {
    Gen<Pair<String, @Nullable Object>> entries =
        claimNames().zip(claimValues(depth), Pair::of);
    return SourceDSL.lists().of(entries).ofSizeBetween(0, maxSize).map(list -> {
      var map = new LinkedHashMap<String, @Nullable Object>();
      list.forEach(e -> map.put(e._1, e._2));
      return map;
    });
  }

  /** Claims nested 1 to 32 levels below the claims object, alternating lists and maps. */
  private static Gen<Map<String, @Nullable Object>> deepClaims() {
    return Generate.range(1, MAX_CLAIM_DEPTH).zip(claimLeaves(), (levels, leaf) -> {
      @Nullable Object value = leaf;
      for (int i = levels; i > 0; i--) {
        if (i % 2 == 0) {
          var list = new ArrayList<@Nullable Object>();
          list.add(value);
          value = list;
        } else {
          var map = new LinkedHashMap<String, @Nullable Object>();
          map.put("level" + i, value);
          value = map;
        }
      }
      var claims = new LinkedHashMap<String, @Nullable Object>();
      claims.put("deep", value);
      return claims;
    });
  }

  /** Leaf claim values: null, booleans, strings (empty too) and every number type. */
  public static Gen<@Nullable Object> claimLeaves() {
    Gen<BigInteger> big = bigIntegers(125); // up to 1000 bits
    Gen<BigDecimal> decimals = bigIntegers(25)
        .zip(Generate.range(-200, 400), (unscaled, scale) -> new BigDecimal(unscaled, scale));
    return weighted(List.of(
        Pair.of(1, Generate.<@Nullable Object>constant((Object) null)),
        Pair.of(1, Generate.booleans().map(b -> (Object) b)),
        Pair.of(4, text(0, 30).map(s -> (Object) s)),
        Pair.of(1, SourceDSL.integers().all().map(i -> (Object) i)),
        Pair.of(1, SourceDSL.longs().all().map(l -> (Object) l)),
        Pair.of(1, SourceDSL.longs().all().map(Double::longBitsToDouble)
            .map(d -> (Object) (Double.isFinite(d) ? d : 0.0))),
        Pair.of(1, SourceDSL.integers().all().map(Float::intBitsToFloat)
            .map(f -> (Object) (Float.isFinite(f) ? f : 0.0f))),
        Pair.of(1, big.map(b -> (Object) b)),
        Pair.of(1, decimals.map(d -> (Object) d))));
  }

  /** Task keys, including the characters their encoding escapes and non-ASCII letters. */
  public static Gen<TaskKey> taskKeys() {
    // No part can be blank: none of these alphabets holds a whitespace character.
    Gen<String> part = weighted(
        1, SourceDSL.strings().betweenCodePoints('!', '~').ofLengthBetween(1, 40),
        1, fromAlphabet(":%{}abc", 1, 10),
        1, SourceDSL.strings().betweenCodePoints('\u00a0', '\u07ff').ofLengthBetween(1, 20));
    return part.zip(part, TaskKey::new);
  }

  /** Claim names: registered ones, type-hint look-alikes, empty, and unicode text. */
  private static Gen<String> claimNames() {
    return weighted(
        1, Generate.pick(List.of("sub", "iss", "aud", "exp", "iat", "jti", "@class", "@type", "")),
        1, text(0, 16));
  }

  private static Gen<String> jwtShaped() {
    Gen<String> segment = fromAlphabet(ALPHANUMERIC + "-_", 4, 200);
    return segment.zip(segment, segment, (a, b, c) -> "eyJ" + a + "." + b + "." + c);
  }

  private static Gen<String> nonBlankText(int minLength, int maxLength) {
    // Rarely blank (all spaces, say); a blank one gets a letter in front rather than being
    // filtered, since QuickTheories drops an example whose filters give up.
    return text(minLength, maxLength).map(s -> s.isBlank() ? "x" + s.substring(1) : s);
  }

  /**
   * Text of three kinds: printable ASCII; any UTF-16 chars (controls too) except surrogates,
   * since {@link AccessToken} refuses unpaired ones; or any code points (supplementary characters
   * as surrogate pairs).
   */
  static Gen<String> text(int minLength, int maxLength) {
    Gen<String> bmp = Generate.intArrays(Generate.range(minLength, maxLength),
            Generate.range(0, Character.MAX_VALUE - SURROGATES))
        .map(SnapshotGenerators::skipSurrogates);
    Gen<String> codePoints = Generate.intArrays(Generate.range(minLength, maxLength),
            Generate.range(0, Character.MAX_CODE_POINT - SURROGATES))
        .map(SnapshotGenerators::skipSurrogates);
    return weighted(
        3, SourceDSL.strings().betweenCodePoints(' ', '~').ofLengthBetween(minLength, maxLength),
        1, bmp,
        1, codePoints);
  }

  /** Strings of {@code minLength} to {@code maxLength} characters taken from {@code alphabet}. */
  static Gen<String> fromAlphabet(String alphabet, int minLength, int maxLength) {
    return Generate.intArrays(Generate.range(minLength, maxLength),
            Generate.range(0, alphabet.length() - 1))
        .map(indexes -> {
          var sb = new StringBuilder(indexes.length);
          for (int index : indexes) {
            sb.append(alphabet.charAt(index));
          }
          return sb.toString();
        });
  }

  /** Random two's-complement integers of 1 to {@code maxBytes} bytes. */
  static Gen<BigInteger> bigIntegers(int maxBytes) {
    return Generate.byteArrays(Generate.range(1, maxBytes),
            Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
        .map((byte[] bytes) -> new BigInteger(bytes));
  }

  /** The value {@code gen} gives, or null with a chance of {@code nullsInTen} in ten. */
  static <T> Gen<@Nullable T> orNull(int nullsInTen, Gen<T> gen) {
    return Generate.range(1, 10).zip(gen, (roll, value) -> roll <= nullsInTen ? null : value);
  }

  static <T> Gen<T> weighted(int weight1, Gen<T> gen1, int weight2, Gen<T> gen2) {
    return weighted(List.of(Pair.of(weight1, gen1), Pair.of(weight2, gen2)));
  }

  static <T> Gen<T> weighted(
      int weight1, Gen<T> gen1, int weight2, Gen<T> gen2, int weight3, Gen<T> gen3) {
    return weighted(List.of(Pair.of(weight1, gen1), Pair.of(weight2, gen2),
        Pair.of(weight3, gen3)));
  }

  private static <T> Gen<T> weighted(List<Pair<Integer, Gen<T>>> choices) {
    return Generate.frequency(choices);
  }

  /** Code points below the surrogate range stay; the rest move up past it. */
  private static String skipSurrogates(int[] codePoints) {
    var sb = new StringBuilder(codePoints.length);
    for (int cp : codePoints) {
      sb.appendCodePoint(cp < Character.MIN_SURROGATE ? cp : cp + SURROGATES);
    }
    return sb.toString();
  }

  private static AccessToken token(Identity identity, @Nullable Instant expiresAt,
      @Nullable String resource, Map<String, @Nullable Object> claims) {
    return new AccessToken(identity.token(), identity.clientId(), identity.scopes(), expiresAt,
        resource, claims);
  }

  /** The first three components of an access token (QuickTheories zips at most five values). */
  private record Identity(String token, String clientId, List<String> scopes) {}
}
