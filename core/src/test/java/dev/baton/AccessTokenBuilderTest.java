package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessTokenBuilderTest {
  private static final String SECRET = "eyJhbGciOiJSUzI1NiJ9.builder-secret.sig";
  private static final Instant EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void build_withOnlyTokenAndClient_equalsOf() {
    assertThat(AccessToken.builder(SECRET, "client").build())
        .isEqualTo(AccessToken.of(SECRET, "client"));
  }

  @Test
  void build_withEveryField_equalsTheConstructorsToken() {
    AccessToken built = AccessToken.builder(SECRET, "client")
        .scopes("read", "write")
        .expiresAt(EXPIRY)
        .resource("https://api.example")
        .claim("tenant", "acme")
        .subject("alice")
        .build();

    assertThat(built).isEqualTo(new AccessToken(SECRET, "client", List.of("read", "write"), EXPIRY,
        "https://api.example", Map.of("tenant", "acme", "sub", "alice")));
  }

  @Test
  void scopes_fromCollection_keepTheirOrder() {
    assertThat(AccessToken.builder(SECRET, "c").scopes(List.of("b", "a")).build().scopes())
        .containsExactly("b", "a");
  }

  @Test
  void scopes_replaceEarlierScopes() {
    assertThat(AccessToken.builder(SECRET, "c").scopes("a").scopes("b").build().scopes())
        .containsExactly("b");
  }

  @Test
  void claims_replaceEveryEarlierClaimIncludingTheSubject() {
    AccessToken token = AccessToken.builder(SECRET, "c")
        .subject("alice").claim("x", 1).claims(Map.of("y", 2)).build();

    assertThat(token.claims()).containsOnlyKeys("y");
    assertThat(token.subject()).isNull();
  }

  @Test
  void subject_afterClaims_setsSub() {
    AccessToken token = AccessToken.builder(SECRET, "c")
        .claims(Map.of("sub", "old", "y", 2)).subject("new").build();

    assertThat(token.subject()).isEqualTo("new");
    assertThat(token.claims()).containsEntry("y", 2L);
  }

  @Test
  void claim_withNumericSub_givesItsText() {
    assertThat(AccessToken.builder(SECRET, "c").claim("sub", 1001).build().subject())
        .isEqualTo("1001");
  }

  @Test
  void build_calledTwice_givesEqualIndependentTokens() {
    AccessTokenBuilder builder = AccessToken.builder(SECRET, "c").subject("alice");
    AccessToken first = builder.build();

    AccessToken second = builder.claim("extra", true).build();

    assertThat(first.claims()).containsOnlyKeys("sub");
    assertThat(second.claims()).containsOnlyKeys("sub", "extra");
  }

  @Test
  void build_isNotAffectedByLaterChangesToPassedCollections() {
    List<String> scopes = new ArrayList<>(List.of("read"));
    Map<String, Object> claims = new HashMap<>(Map.of("sub", "alice"));
    AccessTokenBuilder builder = AccessToken.builder(SECRET, "c").scopes(scopes).claims(claims);

    scopes.add("admin");
    claims.put("sub", "mallory");

    AccessToken token = builder.build();
    assertThat(token.scopes()).containsExactly("read");
    assertThat(token.subject()).isEqualTo("alice");
  }

  @Test
  void builder_withNullArguments_throwsNpeNamingThem() {
    assertThatNullPointerException().isThrownBy(() -> AccessToken.builder(null, "c"))
        .withMessage("token");
    assertThatNullPointerException().isThrownBy(() -> AccessToken.builder(SECRET, null))
        .withMessage("clientId");
  }

  @Test
  void setters_withNullCollections_throwNpeNamingThem() {
    AccessTokenBuilder builder = AccessToken.builder(SECRET, "c");

    assertThatNullPointerException().isThrownBy(() -> builder.scopes((List<String>) null))
        .withMessage("scopes");
    assertThatNullPointerException().isThrownBy(() -> builder.scopes((String[]) null))
        .withMessage("scopes");
    assertThatNullPointerException().isThrownBy(() -> builder.claims(null)).withMessage("claims");
    assertThatNullPointerException().isThrownBy(() -> builder.claim(null, 1)).withMessage("name");
    assertThatNullPointerException().isThrownBy(() -> builder.subject(null)).withMessage("subject");
  }

  @Test
  void build_withBlankToken_throwsLikeTheConstructor() {
    assertThatThrownBy(() -> AccessToken.builder(" ", "c").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be blank");
  }

  @Test
  void build_withBlankScope_throwsNamingItsIndex() {
    assertThatThrownBy(() -> AccessToken.builder(SECRET, "c").scopes("read", " ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scopes[1] must not be blank");
  }

  @Test
  void build_withNullScope_throwsNpeNamingItsIndex() {
    assertThatNullPointerException()
        .isThrownBy(() -> AccessToken.builder(SECRET, "c").scopes("read", null).build())
        .withMessage("scopes[1]");
  }

  @Test
  void build_withBlankResource_throwsLikeTheConstructor() {
    assertThatThrownBy(() -> AccessToken.builder(SECRET, "c").resource(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resource");
  }

  @Test
  void build_withNonJsonClaim_throwsNamingItsPath() {
    assertThatThrownBy(() -> AccessToken.builder(SECRET, "c").claim("at", Instant.EPOCH).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims.at");
  }

  @Test
  void builder_rejectionMessages_neverContainTheToken() {
    assertThatThrownBy(() -> AccessToken.builder(SECRET, " ").build())
        .message().doesNotContain(SECRET);
  }
}
