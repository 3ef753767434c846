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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.jspecify.annotations.Nullable;

/**
 * jqwik arbitraries for snapshots, tokens, claims and task keys, shared by every test that needs
 * realistic and awkward values. Use them from a {@code @Provide} method:
 * <pre>{@code
 * @Provide Arbitrary<TokenSnapshot> snapshots() { return SnapshotArbitraries.snapshots(); }
 * }</pre>
 *
 * <p>What they cover: anonymous snapshots; bearer tokens that are JWT-shaped, unicode (including
 * supplementary characters) or large; empty, small and large scope lists;
 * absent and present expiry and resource; instants anywhere in {@link Instant}'s range with
 * nanosecond precision; claims nested up to {@link AccessToken}'s limit holding every JSON type and
 * every Java number type {@code AccessToken} accepts (Integer, Long, Float, Double, BigInteger,
 * BigDecimal), empty strings and null values.
 *
 * <p>Every generated snapshot encodes within {@link JsonSnapshotCodec#DEFAULT_MAX_ENCODED_BYTES}.
 */
@SuppressWarnings("exports") // test code patched into dev.baton.core; jqwik is not part of its API
public final class SnapshotArbitraries {
  /** The prefix of every {@link #distinctiveTokens()} value. */
  public static final String DISTINCTIVE_TOKEN_PREFIX = "tok_";

  /** AccessToken's claim nesting limit. */
  private static final int MAX_CLAIM_DEPTH = AccessToken.MAX_CLAIM_DEPTH;

  private SnapshotArbitraries() {}

  /** Snapshots of any kind: mostly with a token, some anonymous. */
  public static Arbitrary<TokenSnapshot> snapshots() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, anonymousSnapshots()),
        Tuple.of(5, Combinators.combine(accessTokens(), instants()).as(TokenSnapshot::of)));
  }

  /**
   * Small snapshots (a few hundred bytes encoded) whose bearer token is
   * {@linkplain #distinctiveTokens() distinctive}: cheap enough to generate for fuzzing at a
   * hundred thousand tries, and fit for checks that the token never appears in a message.
   */
  public static Arbitrary<TokenSnapshot> compactSnapshotsWithDistinctiveTokens() {
    Arbitrary<AccessToken> tokens = Combinators.combine(
            distinctiveTokens(),
            nonBlankText(1, 12),
            nonBlankText(1, 12).list().ofMaxSize(3),
            instants().injectNull(0.3),
            nonBlankText(1, 12).injectNull(0.5),
            claimObject(1, 3))
        .as(AccessToken::new);
    return Combinators.combine(tokens, instants()).as(TokenSnapshot::of);
  }

  /** Anonymous snapshots, at any instant. */
  public static Arbitrary<TokenSnapshot> anonymousSnapshots() {
    return instants().map(TokenSnapshot::anonymous);
  }

  /** Access tokens with every component varied. */
  public static Arbitrary<AccessToken> accessTokens() {
    return Combinators.combine(
            bearerTokens(),
            nonBlankText(1, 40),
            scopeLists(),
            instants().injectNull(0.3),
            nonBlankText(1, 60).injectNull(0.5),
            claims())
        .as(AccessToken::new);
  }

  /** Bearer tokens: JWT-shaped, arbitrary unicode, or large (up to 4000 characters). */
  public static Arbitrary<String> bearerTokens() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, jwtShaped()),
        Tuple.of(2, nonBlankText(1, 60)),
        Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1000)
            .ofMaxLength(4000)));
  }

  /**
   * Bearer tokens that cannot occur by chance in a message: {@value #DISTINCTIVE_TOKEN_PREFIX}
   * followed by 24 to 48 letters and digits.
   */
  public static Arbitrary<String> distinctiveTokens() {
    return Arbitraries.strings().alpha().numeric().ofMinLength(24).ofMaxLength(48)
        .map(s -> DISTINCTIVE_TOKEN_PREFIX + s);
  }

  /** Scope lists: empty, a few unicode scopes, or hundreds of short ones. */
  public static Arbitrary<List<String>> scopeLists() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(List.<String>of())),
        Tuple.of(4, nonBlankText(1, 30).list().ofMaxSize(6)),
        Tuple.of(1, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12)
            .map(s -> "scope:" + s).list().ofMinSize(100).ofMaxSize(300)));
  }

  /**
   * Instants anywhere from {@link Instant#MIN} to {@link Instant#MAX} with any nanosecond, most of
   * them in this century; the extremes and the epoch as edge cases.
   */
  public static Arbitrary<Instant> instants() {
    Arbitrary<Integer> nanos = Arbitraries.integers().between(0, 999_999_999);
    Arbitrary<Instant> anywhere = Combinators.combine(
            Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
            nanos)
        .as(Instant::ofEpochSecond);
    Arbitrary<Instant> recent = Combinators.combine(
            Arbitraries.longs().between(946_684_800L, 4_102_444_800L), nanos)
        .as(Instant::ofEpochSecond);
    return Arbitraries.frequencyOf(
        Tuple.of(6, recent),
        Tuple.of(2, anywhere),
        Tuple.of(1, Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH)));
  }

  /** Claims: JSON values of every kind, nested a few levels, sometimes nested to the limit. */
  public static Arbitrary<Map<String, @Nullable Object>> claims() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(Map.<String, @Nullable Object>of())),
        Tuple.of(8, claimObject(2, 6)),
        Tuple.of(1, deepClaims()));
  }

  /** A single claim value of any JSON kind (leaf or container), nested at most {@code depth}. */
  public static Arbitrary<@Nullable Object> claimValues(int depth) {
    if (depth <= 0) {
      return claimLeaves();
    }
    return Arbitraries.frequencyOf(
        Tuple.of(8, claimLeaves()),
        Tuple.of(1, claimValues(depth - 1).list().ofMaxSize(3).map(l -> (Object) l)),
        Tuple.of(1, claimObject(depth - 1, 3).map(m -> (Object) m)));
  }

  private static Arbitrary<Map<String, @Nullable Object>> claimObject(int depth, int maxSize) {
    // Lists of entries, not Arbitraries.maps(): jqwik's unique-key maps are slow to generate.
    return Arbitraries.entries(claimNames(), claimValues(depth)).list().ofMaxSize(maxSize)
        .map(entries -> {
          var map = new LinkedHashMap<String, @Nullable Object>();
          entries.forEach(e -> map.put(e.getKey(), e.getValue()));
          return map;
        });
  }

  /** Claims nested 1 to 32 levels below the claims object, alternating lists and maps. */
  private static Arbitrary<Map<String, @Nullable Object>> deepClaims() {
    return Combinators.combine(Arbitraries.integers().between(1, MAX_CLAIM_DEPTH), claimLeaves())
        .as((levels, leaf) -> {
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
  public static Arbitrary<@Nullable Object> claimLeaves() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(null)),
        Tuple.of(1, Arbitraries.of(true, false)),
        Tuple.of(4, text(0, 30)),
        Tuple.of(1, Arbitraries.integers()),
        Tuple.of(1, Arbitraries.longs()),
        Tuple.of(1, Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite)),
        Tuple.of(1, Arbitraries.integers().map(Float::intBitsToFloat).filter(Float::isFinite)),
        Tuple.of(1, Arbitraries.bigIntegers()
            .between(BigInteger.TWO.pow(1000).negate(), BigInteger.TWO.pow(1000))),
        Tuple.of(1, Combinators.combine(
                Arbitraries.bigIntegers()
                    .between(BigInteger.TWO.pow(200).negate(), BigInteger.TWO.pow(200)),
                Arbitraries.integers().between(-200, 400))
            .as(BigDecimal::new)));
  }

  /** Task keys, including the characters their encoding escapes and non-ASCII letters. */
  public static Arbitrary<TaskKey> taskKeys() {
    Arbitrary<String> part = Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40),
            Arbitraries.strings().withChars(":%{}").withCharRange('a', 'c').ofMinLength(1)
                .ofMaxLength(10),
            Arbitraries.strings().withCharRange('\u00a0', '\u07ff').ofMinLength(1).ofMaxLength(20))
        .filter(s -> !s.isBlank());
    return Combinators.combine(part, part).as(TaskKey::new);
  }

  /** Claim names: registered ones, type-hint look-alikes, empty, and unicode text. */
  private static Arbitrary<String> claimNames() {
    return Arbitraries.oneOf(
        Arbitraries.of("sub", "iss", "aud", "exp", "iat", "jti", "@class", "@type", ""),
        text(0, 16));
  }

  private static boolean isValidUnicode(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static Arbitrary<String> jwtShaped() {
    Arbitrary<String> segment =
        Arbitraries.strings().alpha().numeric().withChars("-_").ofMinLength(4).ofMaxLength(200);
    return Combinators.combine(segment, segment, segment)
        .as((a, b, c) -> "eyJ" + a + "." + b + "." + c);
  }

  private static Arbitrary<String> nonBlankText(int minLength, int maxLength) {
    return text(minLength, maxLength).filter(s -> !s.isBlank());
  }

  /**
   * Text of three kinds: printable ASCII; any UTF-16 chars (controls too) except unpaired
   * surrogates, which {@link AccessToken} refuses; or any code points (supplementary characters as
   * surrogate pairs).
   */
  private static Arbitrary<String> text(int minLength, int maxLength) {
    Arbitrary<String> codePoints = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
        .list().ofMinSize(minLength).ofMaxSize(maxLength)
        .map(cps -> {
          var sb = new StringBuilder();
          cps.forEach(sb::appendCodePoint);
          return sb.toString();
        });
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.strings().withCharRange(' ', '~').ofMinLength(minLength)
            .ofMaxLength(maxLength)),
        Tuple.of(1, Arbitraries.strings().all().ofMinLength(minLength).ofMaxLength(maxLength)
            .filter(SnapshotArbitraries::isValidUnicode)),
        Tuple.of(1, codePoints));
  }
}
