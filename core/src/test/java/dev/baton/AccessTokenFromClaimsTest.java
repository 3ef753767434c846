package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mapping rules of {@link AccessToken#fromClaims}, one at a time. */
class AccessTokenFromClaimsTest {
  private static final String BEARER = "eyJhbGciOiJFUzI1NiJ9.bearer-secret-value.sig";

  private static Map<String, Object> claims(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static AccessToken from(Object... pairs) {
    return AccessToken.fromClaims(BEARER, claims(pairs));
  }

  private static void assertRefused(Map<String, Object> claims, String because) {
    assertThatThrownBy(() -> AccessToken.fromClaims(BEARER, claims))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(because)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(BEARER));
  }

  // ------------------------------------------------------------------ arguments

  @Test
  void fromClaims_withNullToken_throwsNpeNamingToken() {
    assertThatNullPointerException()
        .isThrownBy(() -> AccessToken.fromClaims(null, claims("client_id", "c")))
        .withMessage("token");
  }

  @Test
  void fromClaims_withNullClaims_throwsNpeNamingClaims() {
    assertThatNullPointerException()
        .isThrownBy(() -> AccessToken.fromClaims(BEARER, null))
        .withMessage("claims");
  }

  @Test
  void fromIntrospection_withNullResponse_throwsNpeNamingResponse() {
    assertThatNullPointerException()
        .isThrownBy(() -> AccessToken.fromIntrospection(BEARER, null))
        .withMessage("response");
  }

  @Test
  void fromClaims_withBlankToken_throwsLikeTheConstructor() {
    assertThatThrownBy(() -> AccessToken.fromClaims(" ", claims("client_id", "c")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be blank");
  }

  @Test
  void fromClaims_withNonJsonClaim_throwsNamingItsPath() {
    assertRefused(claims("client_id", "c", "iat", Instant.EPOCH), "claims.iat");
  }

  // ------------------------------------------------------------------ client id

  @Test
  void fromClaims_clientId_prefersClientIdOverAzpCidAndAppid() {
    assertThat(from("appid", "d", "cid", "c", "azp", "b", "client_id", "a").clientId())
        .isEqualTo("a");
    assertThat(from("appid", "d", "cid", "c", "azp", "b").clientId()).isEqualTo("b");
    assertThat(from("appid", "d", "cid", "c").clientId()).isEqualTo("c");
    assertThat(from("appid", "d").clientId()).isEqualTo("d");
  }

  @Test
  void fromClaims_withoutAnyClientClaim_namesEveryClaimItLookedFor() {
    assertRefused(claims("sub", "alice", "aud", "api"),
        "claims name no client: expected a non-blank string in one of client_id, azp, cid, appid");
  }

  @Test
  void fromClaims_withBlankClientId_refusesInsteadOfFallingBackToAzp() {
    assertRefused(claims("client_id", " ", "azp", "other"), "'client_id' must be a non-blank");
  }

  @Test
  void fromClaims_withNumericClientId_refusesNamingTheClaim() {
    assertRefused(claims("azp", 42), "'azp' must be a non-blank string, found a number");
  }

  @Test
  void fromClaims_withNullClientId_refusesNamingTheClaim() {
    assertRefused(claims("cid", null), "'cid' must be a non-blank string, found null");
  }

  // ------------------------------------------------------------------ scopes

  @Test
  void fromClaims_scopeString_isSplitOnSpaces() {
    assertThat(from("client_id", "c", "scope", "read write").scopes())
        .containsExactly("read", "write");
  }

  @Test
  void fromClaims_scopeString_withRunsOfSpaces_skipsEmptyEntries() {
    assertThat(from("client_id", "c", "scope", "  read   write ").scopes())
        .containsExactly("read", "write");
  }

  @Test
  void fromClaims_scopeArray_isTakenInOrder() {
    assertThat(from("client_id", "c", "scope", List.of("b", "a")).scopes())
        .containsExactly("b", "a");
  }

  @Test
  void fromClaims_scpArray_isUsedWithoutScope() {
    assertThat(from("cid", "c", "scp", List.of("openid", "email")).scopes())
        .containsExactly("openid", "email");
  }

  @Test
  void fromClaims_scpString_isUsedWithoutScope() {
    assertThat(from("appid", "c", "scp", "User.Read Mail.Read").scopes())
        .containsExactly("User.Read", "Mail.Read");
  }

  @Test
  void fromClaims_withScopeAndScp_usesScopeAndKeepsBothClaims() {
    AccessToken token = from("client_id", "c", "scp", "admin", "scope", "read");

    assertThat(token.scopes()).containsExactly("read");
    assertThat(token.claims()).containsEntry("scp", "admin");
  }

  @Test
  void fromClaims_duplicateScopes_areKeptOnceInFirstOrder() {
    assertThat(from("client_id", "c", "scope", "read write read").scopes())
        .containsExactly("read", "write");
  }

  @Test
  void fromClaims_emptyScopeArrayElement_isSkipped() {
    // Spring Authorization Server has issued "scope": [""] for clients without scopes.
    assertThat(from("client_id", "c", "scope", List.of("")).scopes()).isEmpty();
  }

  @Test
  void fromClaims_withoutScopeClaims_hasNoScopes() {
    assertThat(from("client_id", "c").scopes()).isEmpty();
  }

  @Test
  void fromClaims_scopeArrayElementWithSpace_refuses() {
    assertRefused(claims("client_id", "c", "scope", List.of("read write")),
        "'scope[0]' must be one scope");
  }

  @Test
  void fromClaims_scopeStringWithTab_refuses() {
    assertRefused(claims("client_id", "c", "scope", "read\twrite"), "U+0009");
  }

  @Test
  void fromClaims_nonStringScopeElement_refuses() {
    assertRefused(claims("client_id", "c", "scp", List.of("read", 7)),
        "'scp[1]' must be a string, found a number");
  }

  @Test
  void fromClaims_scopeOfWrongType_refuses() {
    assertRefused(claims("client_id", "c", "scope", true),
        "'scope' must be a space-delimited string or an array of strings, found a boolean");
  }

  // ------------------------------------------------------------------ exp

  @Test
  void fromClaims_integralExp_isSecondsSinceTheEpoch() {
    assertThat(from("client_id", "c", "exp", 1767225600).expiresAt())
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void fromClaims_fractionalExp_keepsTheFractionRoundedDown() {
    assertThat(from("client_id", "c", "exp", new BigDecimal("1767225600.1234567899")).expiresAt())
        .isEqualTo(Instant.parse("2026-01-01T00:00:00.123456789Z"));
  }

  @Test
  void fromClaims_doubleExp_isAccepted() {
    assertThat(from("client_id", "c", "exp", 1.7672256005E9).expiresAt())
        .isEqualTo(Instant.parse("2026-01-01T00:00:00.5Z"));
  }

  @Test
  void fromClaims_negativeFractionalExp_roundsTowardsThePast() {
    assertThat(from("client_id", "c", "exp", new BigDecimal("-0.5")).expiresAt())
        .isEqualTo(Instant.EPOCH.minusMillis(500));
  }

  @Test
  void fromClaims_withoutExp_doesNotExpire() {
    assertThat(from("client_id", "c").expiresAt()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1767225600", "tomorrow", ""})
  void fromClaims_stringExp_refuses(String exp) {
    assertRefused(claims("client_id", "c", "exp", exp),
        "'exp' must be a JSON number of seconds since the epoch (RFC 7519 NumericDate), found a "
            + "string");
  }

  @Test
  void fromClaims_nullExp_refuses() {
    assertRefused(claims("client_id", "c", "exp", null), "found null");
  }

  @Test
  void fromClaims_expBeyondInstant_refuses() {
    assertRefused(claims("client_id", "c", "exp", Long.MAX_VALUE), "outside the range");
    assertRefused(claims("client_id", "c", "exp", BigInteger.TEN.pow(30)), "outside the range");
  }

  @Test
  void fromClaims_expAtInstantMax_isAccepted() {
    assertThat(from("client_id", "c", "exp", Instant.MAX.getEpochSecond()).expiresAt())
        .isEqualTo(Instant.MAX.minusNanos(999_999_999));
  }

  // ------------------------------------------------------------------ aud

  @Test
  void fromClaims_stringAud_isTheResource() {
    assertThat(from("client_id", "c", "aud", "https://api.example").resource())
        .isEqualTo("https://api.example");
  }

  @Test
  void fromClaims_audArray_firstElementIsTheResourceAndAllStayInClaims() {
    AccessToken token = from("client_id", "c", "aud", List.of("https://api.example", "other"));

    assertThat(token.resource()).isEqualTo("https://api.example");
    assertThat(token.claims()).containsEntry("aud", List.of("https://api.example", "other"));
  }

  @Test
  void fromClaims_emptyAudArray_hasNoResource() {
    assertThat(from("client_id", "c", "aud", List.of()).resource()).isNull();
  }

  @Test
  void fromClaims_withoutAud_hasNoResource() {
    assertThat(from("client_id", "c").resource()).isNull();
  }

  @Test
  void fromClaims_blankAudElement_refusesNamingIt() {
    assertRefused(claims("client_id", "c", "aud", List.of("api", " ")), "'aud[1]' must not be blank");
  }

  @Test
  void fromClaims_audOfWrongType_refuses() {
    assertRefused(claims("client_id", "c", "aud", Map.of("x", 1)),
        "'aud' must be a string or an array of strings, found an object");
  }

  // ------------------------------------------------------------------ sub

  @Test
  void fromClaims_numericSub_isKeptAsANumber() {
    AccessToken token = from("client_id", "c", "sub", 1001);

    assertThat(token.claims()).containsEntry("sub", 1001L);
    assertThat(token.subject()).isEqualTo("1001");
  }

  @Test
  void fromClaims_blankSub_refuses() {
    assertRefused(claims("client_id", "c", "sub", ""), "'sub' must not be blank");
  }

  @Test
  void fromClaims_subOfWrongType_refuses() {
    assertRefused(claims("client_id", "c", "sub", List.of("alice")),
        "'sub' must be a string (RFC 7519) or a number, found an array");
    assertRefused(claims("client_id", "c", "sub", null), "found null");
  }

  // ------------------------------------------------------------------ active

  @Test
  void fromClaims_withActiveTrue_isAccepted() {
    assertThat(from("active", true, "client_id", "c").claims()).containsEntry("active", true);
  }

  @Test
  void fromClaims_withActiveFalse_refuses() {
    assertRefused(claims("active", false, "client_id", "c"), "not active (active: false)");
  }

  @Test
  void fromClaims_withActiveNull_refuses() {
    assertRefused(claims("active", null, "client_id", "c"), "'active' must be a JSON boolean");
  }

  @Test
  void fromIntrospection_withoutActive_refuses() {
    assertThatThrownBy(() -> AccessToken.fromIntrospection(BEARER, claims("client_id", "c")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no 'active' member");
  }

  @Test
  void fromIntrospection_withActiveFalse_refusesBeforeReadingOtherMembers() {
    // An inactive response usually carries nothing else; the refusal is about activity first.
    assertThatThrownBy(() -> AccessToken.fromIntrospection(BEARER, claims("active", false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not active");
  }

  // ------------------------------------------------------------------ claims

  @Test
  void fromClaims_claims_areEveryClaimGivenNormalized() {
    Map<String, Object> given = claims("client_id", "c", "n", 7, "nested", Map.of("k", List.of(1)));

    assertThat(AccessToken.fromClaims(BEARER, given).claims())
        .containsExactly(Map.entry("client_id", "c"), Map.entry("n", 7L),
            Map.entry("nested", Map.of("k", List.of(1L))));
  }

  @Test
  void fromClaims_claims_areCopied() {
    List<Object> groups = new ArrayList<>(List.of("staff"));
    Map<String, Object> given = new HashMap<>(claims("client_id", "c", "groups", groups));
    AccessToken token = AccessToken.fromClaims(BEARER, given);

    groups.add("admin");
    given.put("client_id", "other");

    assertThat(token.claims()).containsEntry("groups", List.of("staff"))
        .containsEntry("client_id", "c");
  }

  @Test
  void fromClaims_result_equalsTheConstructorsToken() {
    AccessToken token = from("client_id", "c", "scope", "a b", "exp", 10, "aud", "r", "sub", "s");

    assertThat(token).isEqualTo(new AccessToken(BEARER, "c", Arrays.asList("a", "b"),
        Instant.ofEpochSecond(10), "r",
        claims("client_id", "c", "scope", "a b", "exp", 10, "aud", "r", "sub", "s")));
  }
}
