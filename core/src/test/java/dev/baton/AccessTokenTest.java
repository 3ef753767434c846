package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessTokenTest {
  private static final String SECRET = "eyJhbGciOiJSUzI1NiJ9.secret-bearer-value.sig";
  private static final Instant EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

  private static AccessToken expiringAt(Instant expiresAt) {
    return new AccessToken(SECRET, "client", List.of(), expiresAt, null, Map.of());
  }

  private static AccessToken withClaims(Map<String, ?> claims) {
    return new AccessToken(SECRET, "client", List.of(), null, null, copyOf(claims));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copyOf(Map<String, ?> claims) {
    return (Map<String, Object>) claims;
  }

  // ------------------------------------------------------------------ validation

  @Test
  void constructor_withNullToken_throwsNpeNamingToken() {
    assertThatNullPointerException()
        .isThrownBy(() -> new AccessToken(null, "client", List.of(), null, null, Map.of()))
        .withMessage("token");
  }

  @Test
  void constructor_withBlankToken_throwsNamingToken() {
    assertThatThrownBy(() -> AccessToken.of(" \t", "client"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be blank");
  }

  @Test
  void constructor_withNullClientId_throwsNpeNamingClientId() {
    assertThatNullPointerException()
        .isThrownBy(() -> new AccessToken(SECRET, null, List.of(), null, null, Map.of()))
        .withMessage("clientId");
  }

  @Test
  void constructor_withBlankClientId_throwsNamingClientId() {
    assertThatThrownBy(() -> AccessToken.of(SECRET, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clientId");
  }

  @Test
  void constructor_withNullScopes_throwsNpeNamingScopes() {
    assertThatNullPointerException()
        .isThrownBy(() -> new AccessToken(SECRET, "client", null, null, null, Map.of()))
        .withMessage("scopes");
  }

  @Test
  void constructor_withBlankScope_namesItsIndex() {
    assertThatThrownBy(
            () -> new AccessToken(SECRET, "client", List.of("read", " "), null, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scopes[1]");
  }

  @Test
  void constructor_withNullScopeElement_namesItsIndex() {
    List<String> scopes = new ArrayList<>();
    scopes.add(null);
    assertThatNullPointerException()
        .isThrownBy(() -> new AccessToken(SECRET, "client", scopes, null, null, Map.of()))
        .withMessage("scopes[0]");
  }

  @Test
  void constructor_withBlankResource_throwsNamingResource() {
    assertThatThrownBy(() -> new AccessToken(SECRET, "client", List.of(), null, "  ", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resource");
  }

  @Test
  void constructor_withNullClaims_throwsNpeNamingClaims() {
    assertThatNullPointerException()
        .isThrownBy(() -> new AccessToken(SECRET, "client", List.of(), null, null, null))
        .withMessage("claims");
  }

  @Test
  void constructor_rejectionMessages_neverContainTheToken() {
    assertThatThrownBy(() -> new AccessToken(SECRET, " ", List.of(), null, null, Map.of()))
        .message().doesNotContain(SECRET);
    assertThatThrownBy(() -> withClaims(Map.of("bad", new Object())))
        .message().doesNotContain(SECRET);
  }

  @Test
  void of_hasNoScopesExpiryResourceOrClaims() {
    AccessToken token = AccessToken.of(SECRET, "client");

    assertThat(token.scopes()).isEmpty();
    assertThat(token.expiresAt()).isNull();
    assertThat(token.resource()).isNull();
    assertThat(token.claims()).isEmpty();
  }

  // ------------------------------------------------------------------ scopes

  @Test
  void scopes_areCopiedOnConstruction() {
    List<String> scopes = new ArrayList<>(List.of("read"));
    AccessToken token = new AccessToken(SECRET, "client", scopes, null, null, Map.of());

    scopes.add("admin");

    assertThat(token.scopes()).containsExactly("read");
  }

  @Test
  void scopes_areUnmodifiable() {
    AccessToken token = new AccessToken(SECRET, "client", List.of("read"), null, null, Map.of());

    assertThatThrownBy(() -> token.scopes().add("admin"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // ------------------------------------------------------------------ claims

  @Test
  void claims_areDeepCopiedOnConstruction() {
    List<Object> groups = new ArrayList<>(List.of("staff"));
    Map<String, Object> address = new HashMap<>(Map.of("city", "Lyon"));
    Map<String, Object> claims = new HashMap<>();
    claims.put("groups", groups);
    claims.put("address", address);
    AccessToken token = withClaims(claims);

    groups.add("admin");
    address.put("city", "Paris");
    claims.put("sub", "someone-else");

    assertThat(token.claims())
        .containsOnlyKeys("groups", "address")
        .containsEntry("groups", List.of("staff"))
        .containsEntry("address", Map.of("city", "Lyon"));
  }

  @Test
  void claims_areUnmodifiable() {
    AccessToken token = withClaims(Map.of("sub", "alice"));

    assertThatThrownBy(() -> token.claims().put("sub", "mallory"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void claims_nestedCollections_areUnmodifiable() {
    AccessToken token =
        withClaims(Map.of("groups", List.of(new ArrayList<>(List.of("a"))), "m", Map.of()));

    @SuppressWarnings("unchecked")
    List<List<Object>> groups = (List<List<Object>>) token.claims().get("groups");
    assertThatThrownBy(() -> groups.get(0).add("b"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> groups.add(List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void claims_keepInsertionOrder() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("z", 1);
    claims.put("a", 2);
    claims.put("m", 3);

    assertThat(withClaims(claims).claims().keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void claims_withNullValue_keepTheNull() {
    Map<String, Object> claims = new HashMap<>();
    claims.put("nickname", null);

    assertThat(withClaims(claims).claims()).containsEntry("nickname", null);
  }

  @Test
  void claims_withNonJsonValue_throwNamingTheClaimPath() {
    assertThatThrownBy(() -> withClaims(Map.of("issued", Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.issued");
  }

  @Test
  void claims_withNestedNonJsonValue_throwNamingTheFullPath() {
    Map<String, Object> inner = Map.of("b", new StringBuilder("x"));
    assertThatThrownBy(() -> withClaims(Map.of("a", List.of("ok", inner))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.a[1].b");
  }

  @Test
  void claims_withNonStringKey_throw() {
    assertThatThrownBy(() -> withClaims(Map.of("outer", Map.of(1, "one"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.outer")
        .hasMessageContaining("String keys");
  }

  @Test
  void claims_withNaN_throw() {
    assertThatThrownBy(() -> withClaims(Map.of("score", Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.score");
  }

  @Test
  void claims_withInfiniteFloat_throw() {
    assertThatThrownBy(() -> withClaims(Map.of("score", Float.POSITIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.score");
  }

  @Test
  void claims_withSelfContainingList_throwInsteadOfOverflowingTheStack() {
    List<Object> loop = new ArrayList<>();
    loop.add(loop);

    assertThatThrownBy(() -> withClaims(Map.of("loop", loop)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.loop")
        .hasMessageContaining("deeper than");
  }

  @Test
  void claims_nestedToTheDepthLimit_areAccepted() {
    Object value = "leaf";
    for (int i = 0; i < AccessToken.MAX_CLAIM_DEPTH - 1; i++) {
      value = List.of(value);
    }
    Object nested = value;

    assertThat(withClaims(Map.of("deep", nested)).claims()).containsKey("deep");
  }

  @Test
  void claims_integralNumbers_becomeLong() {
    AccessToken token = withClaims(Map.of(
        "int", 1, "short", (short) 2, "byte", (byte) 3, "big", BigInteger.TEN,
        "scientific", new BigDecimal("1E+3")));

    assertThat(token.claims())
        .containsEntry("int", 1L)
        .containsEntry("short", 2L)
        .containsEntry("byte", 3L)
        .containsEntry("big", 10L)
        .containsEntry("scientific", 1000L);
  }

  @Test
  void claims_integralBeyondLong_becomeBigInteger() {
    BigInteger huge = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);

    assertThat(withClaims(Map.of("huge", huge)).claims()).containsEntry("huge", huge);
  }

  @Test
  void claims_fractionalNumbers_becomeBigDecimal() {
    AccessToken token = withClaims(Map.of("d", 1.5d, "f", 0.1f));

    assertThat(token.claims())
        .containsEntry("d", new BigDecimal("1.5"))
        .containsEntry("f", new BigDecimal("0.1"));
  }

  @Test
  void claims_numberNormalization_makesIntAndLongClaimsEqual() {
    assertThat(withClaims(Map.of("n", 1))).isEqualTo(withClaims(Map.of("n", 1L)));
    assertThat(withClaims(Map.of("n", 1)).hashCode())
        .isEqualTo(withClaims(Map.of("n", 1L)).hashCode());
  }

  @Test
  void subject_isTheSubClaim_whenString() {
    assertThat(withClaims(Map.of("sub", "alice")).subject()).isEqualTo("alice");
  }

  @Test
  void subject_ofIntegralSub_isItsDecimalText() {
    assertThat(withClaims(Map.of("sub", 1001)).subject()).isEqualTo("1001");
    assertThat(withClaims(Map.of("sub", -7L)).subject()).isEqualTo("-7");
  }

  @Test
  void subject_ofIntegralSubBeyondLong_isItsDecimalText() {
    BigInteger huge = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);

    assertThat(withClaims(Map.of("sub", huge)).subject()).isEqualTo("9223372036854775808");
  }

  @Test
  void subject_ofFractionalSub_isItsJsonText() {
    assertThat(withClaims(Map.of("sub", 1.0)).subject()).isEqualTo("1.0");
    assertThat(withClaims(Map.of("sub", new BigDecimal("1E-7"))).subject()).isEqualTo("1E-7");
  }

  @Test
  void subject_ofNumberAndOfItsText_isTheSameWhileTheClaimsDiffer() {
    AccessToken number = withClaims(Map.of("sub", 1));
    AccessToken text = withClaims(Map.of("sub", "1"));

    assertThat(number.subject()).isEqualTo(text.subject());
    assertThat(number.claims().get("sub")).isNotEqualTo(text.claims().get("sub"));
  }

  @Test
  void subject_isNull_whenSubIsAbsent() {
    assertThat(withClaims(Map.of()).subject()).isNull();
  }

  @Test
  void subject_isNull_whenSubIsNeitherStringNorNumber() {
    Map<String, Object> nullSub = new HashMap<>();
    nullSub.put("sub", null);

    assertThat(withClaims(Map.of("sub", true)).subject()).isNull();
    assertThat(withClaims(Map.of("sub", List.of("a"))).subject()).isNull();
    assertThat(withClaims(Map.of("sub", Map.of("id", "a"))).subject()).isNull();
    assertThat(withClaims(nullSub).subject()).isNull();
  }

  // ------------------------------------------------------------------ secrecy

  @Test
  void toString_neverContainsTheBearerToken() {
    AccessToken token = new AccessToken(SECRET, "client", List.of("read"), EXPIRY,
        "https://api.example", Map.of("sub", "alice"));

    assertThat(token.toString()).doesNotContain(SECRET).doesNotContain("secret-bearer-value");
  }

  @Test
  void toString_showsClaimNamesButNotTheirValues() {
    AccessToken token = withClaims(Map.of("email", "alice-private@example.com"));

    assertThat(token.toString()).contains("email").doesNotContain("alice-private");
  }

  @Test
  void toString_showsTheFingerprint() {
    AccessToken token = AccessToken.of(SECRET, "client");

    assertThat(token.toString()).contains(token.fingerprint());
  }

  @Test
  void fingerprint_isShortHexOfSha256() {
    assertThat(AccessToken.of(SECRET, "client").fingerprint()).matches("sha256:[0-9a-f]{8}");
  }

  @Test
  void fingerprint_dependsOnTheTokenOnly() {
    assertThat(AccessToken.of(SECRET, "a").fingerprint())
        .isEqualTo(AccessToken.of(SECRET, "b").fingerprint())
        .isNotEqualTo(AccessToken.of(SECRET + "x", "a").fingerprint());
  }

  // ------------------------------------------------------------------ expiry

  @Test
  void isExpired_withoutExpiry_isFalseEvenAtTheEndOfTime() {
    assertThat(AccessToken.of(SECRET, "client").isExpired(Instant.MAX, Duration.ZERO)).isFalse();
  }

  @Test
  void isExpired_beforeExpiry_isFalse() {
    assertThat(expiringAt(EXPIRY).isExpired(EXPIRY.minusSeconds(1), Duration.ZERO)).isFalse();
  }

  @Test
  void isExpired_oneNanosecondBeforeExpiry_isFalse() {
    assertThat(expiringAt(EXPIRY).isExpired(EXPIRY.minusNanos(1), Duration.ZERO)).isFalse();
  }

  @Test
  void isExpired_exactlyAtExpiry_isTrue() {
    assertThat(expiringAt(EXPIRY).isExpired(EXPIRY, Duration.ZERO)).isTrue();
  }

  @Test
  void isExpired_afterExpiry_isTrue() {
    assertThat(expiringAt(EXPIRY).isExpired(EXPIRY.plusSeconds(1), Duration.ZERO)).isTrue();
  }

  @Test
  void isExpired_withinLeeway_isFalse() {
    assertThat(expiringAt(EXPIRY).isExpired(EXPIRY.plusSeconds(29), Duration.ofSeconds(30)))
        .isFalse();
  }

  @Test
  void isExpired_exactlyAtExpiryPlusLeeway_isTrue() {
    assertThat(expiringAt(EXPIRY).isExpired(EXPIRY.plusSeconds(30), Duration.ofSeconds(30)))
        .isTrue();
  }

  @Test
  void isExpired_withFarFutureExpiryAndLeeway_isFalse() {
    // expiresAt + leeway must not overflow Instant.MAX: an exp claim far in the future is valid.
    AccessToken token = expiringAt(Instant.MAX.minusSeconds(1));

    assertThat(token.isExpired(EXPIRY, Duration.ofMinutes(1))).isFalse();
  }

  @Test
  void isExpired_withNegativeLeeway_throwsNamingLeeway() {
    assertThatThrownBy(() -> expiringAt(EXPIRY).isExpired(EXPIRY, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leeway");
  }

  @Test
  void isExpired_withNullNow_throwsNpeNamingNow() {
    assertThatNullPointerException()
        .isThrownBy(() -> expiringAt(EXPIRY).isExpired(null, Duration.ZERO))
        .withMessage("now");
  }

  @Test
  void isExpired_withNullLeeway_throwsNpeNamingLeeway() {
    assertThatNullPointerException()
        .isThrownBy(() -> expiringAt(EXPIRY).isExpired(EXPIRY, null))
        .withMessage("leeway");
  }

  @Test
  void claimNameWithUnpairedSurrogate_isRejected_namingTheClaims() {
    assertThatThrownBy(() -> new AccessToken("t", "c", List.of(), null, null, Map.of("\udc00", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims key")
        .hasMessageContaining("unpaired surrogate");
  }

  @Test
  void claimValueWithUnpairedSurrogate_isRejected_namingThePath() {
    assertThatThrownBy(() -> new AccessToken("t", "c", List.of(), null, null, Map.of("x", "\ud800")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.x")
        .hasMessageContaining("unpaired surrogate");
  }

  @Test
  void tokenWithUnpairedSurrogate_isRejected_namingTheParameter() {
    assertThatThrownBy(() -> AccessToken.of("abc\ud800", "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("token must not contain an unpaired surrogate")
        .hasMessageNotContaining("abc");
  }

  @Test
  void claimNumberOfMoreThan400Digits_isRejected() {
    assertThatThrownBy(() -> new AccessToken("t", "c", List.of(), null, null,
        Map.of("n", BigInteger.TEN.pow(400))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.n must be a number of at most 400 characters as JSON");
  }

  @Test
  void claimNumberWithAHugeExponent_isRejectedWithoutExpandingIt() {
    assertThatThrownBy(() -> new AccessToken("t", "c", List.of(), null, null,
        Map.of("n", new BigDecimal("1E+999999999"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.n must be a number of at most 400 characters as JSON");
  }

  @Test
  void negativeClaimNumberOf400Digits_isRejected_asItsJsonTakes401Characters() {
    assertThatThrownBy(() -> new AccessToken("t", "c", List.of(), null, null,
        Map.of("n", BigInteger.TEN.pow(399).negate())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.n must be a number of at most 400 characters as JSON");
  }

  @Test
  void claimNumberOfLargestDouble_isAccepted() {
    var token = new AccessToken("t", "c", List.of(), null, null, Map.of("n", Double.MAX_VALUE));

    assertThat(token.claims().get("n")).isInstanceOf(BigInteger.class);
  }
}
