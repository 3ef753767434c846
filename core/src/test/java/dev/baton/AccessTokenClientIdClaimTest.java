package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configured client id claim ({@link AccessToken#fromClaims(String, Map, String)}). */
class AccessTokenClientIdClaimTest {
  private static final String BEARER = "eyJhbGciOiJSUzI1NiJ9.bearer-secret-value.sig";

  private static Map<String, Object> claims(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static void assertRefused(Map<String, Object> claims, String because) {
    assertThatThrownBy(() -> AccessToken.fromClaims(BEARER, claims, "aud"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(because)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(BEARER));
  }

  @Test
  void fromClaims_audAsSingleElementArray_isTheClient() {
    // Spring Authorization Server's default access token: the client only in aud, as an array.
    AccessToken token =
        AccessToken.fromClaims(BEARER, claims("sub", "alice", "aud", List.of("reports-ui")), "aud");
    assertThat(token.clientId()).isEqualTo("reports-ui");
    assertThat(token.resource()).isEqualTo("reports-ui");
  }

  @Test
  void fromClaims_audAsString_isTheClient() {
    assertThat(AccessToken.fromClaims(BEARER, claims("aud", "cli"), "aud").clientId())
        .isEqualTo("cli");
  }

  @Test
  void fromClaims_configuredClaim_winsOverClientId() {
    assertThat(AccessToken.fromClaims(BEARER, claims("client_id", "a", "aud", "b"), "aud")
            .clientId())
        .isEqualTo("b");
  }

  @Test
  void fromClaims_configuredClaimMissing_isRefusedWithoutTryingTheStandardNames() {
    assertRefused(
        claims("client_id", "a"),
        "claims name no client: expected a non-blank string in 'aud' (the configured client id "
            + "claim)");
  }

  @Test
  void fromClaims_multiValuedClaim_isRefusedNamingTheCount() {
    assertRefused(
        claims("aud", List.of("api-a", "api-b")),
        "'aud' (the configured client id claim) holds 2 values; a client id must be exactly one");
  }

  @Test
  void fromClaims_emptyArray_isRefused() {
    assertRefused(claims("aud", List.of()), "holds 0 values");
  }

  @Test
  void fromClaims_arrayOfOneNonString_isRefusedNamingTheElement() {
    assertRefused(claims("aud", List.of(7)), "'aud[0]' must be a non-blank string, found a number");
  }

  @Test
  void fromClaims_blankValue_isRefused() {
    assertRefused(claims("aud", " "), "'aud' must be a non-blank string, found a blank string");
  }

  @Test
  void fromClaims_blankClaimName_isRefused() {
    assertThatThrownBy(() -> AccessToken.fromClaims(BEARER, claims("aud", "a"), " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientIdClaim must not be blank");
  }

  @Test
  void fromClaims_nullClaimName_throwsNpeNamingIt() {
    assertThatNullPointerException()
        .isThrownBy(() -> AccessToken.fromClaims(BEARER, claims("aud", "a"), null))
        .withMessage("clientIdClaim");
  }

  @Test
  void fromIntrospection_configuredClaim_stillRequiresActive() {
    assertThatThrownBy(
            () -> AccessToken.fromIntrospection(BEARER, claims("aud", List.of("c")), "aud"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'active'");
    assertThat(
            AccessToken.fromIntrospection(BEARER, claims("active", true, "aud", List.of("c")), "aud")
                .clientId())
        .isEqualTo("c");
  }
}
