package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link AccessToken#fromClaims} and {@link AccessToken#fromIntrospection} on payloads shaped as
 * each identity provider documents its access tokens (values invented, claim names and JSON types
 * as issued).
 */
class AccessTokenFromClaimsVendorTest {
  private static final String BEARER = "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.payload.signature";
  private static final Instant EXP = Instant.ofEpochSecond(1767225600);

  /** One provider's payload and what it must map to. */
  record Row(String provider, boolean introspection, String json, String clientId,
      List<String> scopes, @Nullable Instant expiresAt, @Nullable String resource,
      @Nullable String subject) {
    @Override
    public String toString() {
      return provider;
    }
  }

  static Stream<Row> accepted() {
    return Stream.of(
        new Row("RFC 9068 example", false, """
            {"iss": "https://authorization-server.example.com/",
             "sub": "5ba552d67", "aud": "https://rs.example.com/",
             "exp": 1767225600, "iat": 1767222000, "jti": "dbe39bf3a3ba4238a513f51d6e1691c4",
             "client_id": "s6BhdRkqt3", "scope": "openid profile reademail"}""",
            "s6BhdRkqt3", List.of("openid", "profile", "reademail"), EXP,
            "https://rs.example.com/", "5ba552d67"),
        new Row("Keycloak (authorization code)", false, """
            {"exp": 1767225600, "iat": 1767225300, "auth_time": 1767225290,
             "jti": "onrtac:8f3a2c1e-0b7d-4e55-9a55-3c8c9f1c2d11",
             "iss": "https://sso.example.com/realms/acme",
             "aud": ["orders-api", "account"], "sub": "f5b2c6e4-4d1a-4b7e-9c1b-2f0e6d7a8b9c",
             "typ": "Bearer", "azp": "web-shop", "sid": "2a1c7f2e-5b3d-4b8e-8f6a-1d2c3b4a5e6f",
             "acr": "1", "allowed-origins": ["https://shop.example.com"],
             "realm_access": {"roles": ["offline_access", "uma_authorization"]},
             "resource_access": {"account": {"roles": ["manage-account"]}},
             "scope": "openid email profile", "email_verified": true,
             "preferred_username": "alice"}""",
            "web-shop", List.of("openid", "email", "profile"), EXP, "orders-api",
            "f5b2c6e4-4d1a-4b7e-9c1b-2f0e6d7a8b9c"),
        new Row("Keycloak (client credentials, client_id mapper)", false, """
            {"exp": 1767225600, "iat": 1767225300, "iss": "https://sso.example.com/realms/acme",
             "aud": "account", "sub": "0c8a4f5e-service-account", "typ": "Bearer",
             "azp": "billing-job", "client_id": "billing-job", "clientHost": "10.0.0.7",
             "scope": "profile email", "preferred_username": "service-account-billing-job"}""",
            "billing-job", List.of("profile", "email"), EXP, "account",
            "0c8a4f5e-service-account"),
        new Row("Auth0 (user, with openid)", false, """
            {"iss": "https://acme.eu.auth0.com/", "sub": "auth0|64f0c0ffee",
             "aud": ["https://api.acme.example", "https://acme.eu.auth0.com/userinfo"],
             "iat": 1767222000, "exp": 1767225600, "azp": "Xq3TuZbC7kP1vLmN",
             "scope": "openid profile read:orders", "permissions": ["read:orders"]}""",
            "Xq3TuZbC7kP1vLmN", List.of("openid", "profile", "read:orders"), EXP,
            "https://api.acme.example", "auth0|64f0c0ffee"),
        new Row("Auth0 (client credentials)", false, """
            {"iss": "https://acme.eu.auth0.com/", "sub": "Xq3TuZbC7kP1vLmN@clients",
             "aud": "https://api.acme.example", "iat": 1767222000, "exp": 1767225600,
             "scope": "read:orders write:orders", "gty": "client-credentials",
             "azp": "Xq3TuZbC7kP1vLmN"}""",
            "Xq3TuZbC7kP1vLmN", List.of("read:orders", "write:orders"), EXP,
            "https://api.acme.example", "Xq3TuZbC7kP1vLmN@clients"),
        new Row("Okta (custom authorization server)", false, """
            {"ver": 1, "jti": "AT.0mP4JKAiPkWyb1x3-f1vqyQ5Hsg5aBqTnO1V4vmGzzE",
             "iss": "https://acme.okta.com/oauth2/default", "aud": "api://default",
             "iat": 1767222000, "exp": 1767225600, "cid": "0oa1b2c3d4E5F6g7H8i9",
             "uid": "00u1b2c3d4E5F6g7H8i9", "scp": ["openid", "email", "orders.read"],
             "auth_time": 1767221990, "sub": "alice@acme.example"}""",
            "0oa1b2c3d4E5F6g7H8i9", List.of("openid", "email", "orders.read"), EXP,
            "api://default", "alice@acme.example"),
        new Row("Entra ID v1.0 (delegated)", false, """
            {"aud": "https://graph.microsoft.com",
             "iss": "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
             "iat": 1767222000, "nbf": 1767222000, "exp": 1767225600, "acr": "1",
             "aio": "E2ZgYJj...", "amr": ["pwd", "mfa"],
             "appid": "00000003-0000-0ff1-ce00-000000000000", "appidacr": "0",
             "family_name": "Doe", "given_name": "Ann", "ipaddr": "203.0.113.7",
             "name": "Ann Doe", "oid": "a1b2c3d4-0000-1111-2222-333344445555",
             "scp": "User.Read Mail.Read", "sub": "l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA",
             "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "unique_name": "ann@contoso.example",
             "upn": "ann@contoso.example", "ver": "1.0"}""",
            "00000003-0000-0ff1-ce00-000000000000", List.of("User.Read", "Mail.Read"), EXP,
            "https://graph.microsoft.com", "l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA"),
        new Row("Entra ID v2.0 (delegated)", false, """
            {"aud": "6e74172b-be56-4843-9ff4-e66a39bb12e3",
             "iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
             "iat": 1767222000, "nbf": 1767222000, "exp": 1767225600,
             "azp": "6e74172b-be56-4843-9ff4-e66a39bb12e3", "azpacr": "0", "name": "Ann Doe",
             "oid": "a1b2c3d4-0000-1111-2222-333344445555",
             "preferred_username": "ann@contoso.example", "rh": "I",
             "scp": "access_as_user", "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
             "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "uti": "fqiBqXLPj0eQa82S-IYFAA",
             "ver": "2.0"}""",
            "6e74172b-be56-4843-9ff4-e66a39bb12e3", List.of("access_as_user"), EXP,
            "6e74172b-be56-4843-9ff4-e66a39bb12e3", "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ"),
        new Row("Entra ID v2.0 (app-only: roles, no scp)", false, """
            {"aud": "api://orders", "iss": "https://login.microsoftonline.com/tid/v2.0",
             "iat": 1767222000, "nbf": 1767222000, "exp": 1767225600,
             "azp": "1f2e3d4c-5b6a-7980-a1b2-c3d4e5f6a7b8", "azpacr": "1",
             "oid": "9a8b7c6d-0000-1111-2222-333344445555", "roles": ["Orders.Read.All"],
             "sub": "9a8b7c6d-0000-1111-2222-333344445555", "tid": "tid", "ver": "2.0"}""",
            "1f2e3d4c-5b6a-7980-a1b2-c3d4e5f6a7b8", List.of(), EXP, "api://orders",
            "9a8b7c6d-0000-1111-2222-333344445555"),
        new Row("Google tokeninfo, exp converted to a number by the app", false, """
            {"azp": "407408718192.apps.googleusercontent.com",
             "aud": "407408718192.apps.googleusercontent.com", "sub": "110169484474386276334",
             "scope": "openid https://www.googleapis.com/auth/userinfo.email",
             "exp": 1767225600, "expires_in": "3599", "email": "ann@example.com",
             "email_verified": "true", "access_type": "online"}""",
            "407408718192.apps.googleusercontent.com",
            List.of("openid", "https://www.googleapis.com/auth/userinfo.email"), EXP,
            "407408718192.apps.googleusercontent.com", "110169484474386276334"),
        new Row("AWS Cognito access token (no aud)", false, """
            {"sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "cognito:groups": ["admin"],
             "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example",
             "version": 2, "client_id": "3n4b5urk1ft4fl3mg5e62d9ado",
             "origin_jti": "bbbbbbbbb-cccc-dddd-eeee-aaaaaaaaaaaa",
             "event_id": "cccccccc-dddd-eeee-aaaa-bbbbbbbbbbbb", "token_use": "access",
             "scope": "aws.cognito.signin.user.admin phone openid profile email",
             "auth_time": 1767222000, "exp": 1767225600, "iat": 1767222000,
             "jti": "dddddddd-eeee-aaaa-bbbb-cccccccccccc", "username": "ann"}""",
            "3n4b5urk1ft4fl3mg5e62d9ado",
            List.of("aws.cognito.signin.user.admin", "phone", "openid", "profile", "email"), EXP,
            null, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
        new Row("Spring Authorization Server JWT with a client_id customizer", false, """
            {"sub": "user1", "aud": ["messaging-client"], "nbf": 1767222000,
             "scope": ["message.read", "message.write"], "iss": "http://localhost:9000",
             "exp": 1767225600, "iat": 1767222000, "jti": "6d1e4a7b-0c2f-4e8a-9b3d-5f7a1c2e3d4b",
             "client_id": "messaging-client"}""",
            "messaging-client", List.of("message.read", "message.write"), EXP,
            "messaging-client", "user1"),
        new Row("Spring Authorization Server introspection", true, """
            {"active": true, "sub": "user1", "aud": ["messaging-client"], "nbf": 1767222000,
             "scope": "message.read message.write", "iss": "http://localhost:9000",
             "exp": 1767225600, "iat": 1767222000, "jti": "6d1e4a7b-0c2f-4e8a-9b3d-5f7a1c2e3d4b",
             "client_id": "messaging-client", "token_type": "Bearer"}""",
            "messaging-client", List.of("message.read", "message.write"), EXP,
            "messaging-client", "user1"),
        new Row("RFC 7662 introspection example", true, """
            {"active": true, "client_id": "l238j323ds-23ij4", "username": "jdoe",
             "scope": "read write dolphin", "sub": "Z5O3upPC88QrAjx00dis",
             "aud": "https://protected.example.net/resource",
             "iss": "https://server.example.com/", "exp": 1767225600, "iat": 1767222000,
             "extension_field": "twenty-seven"}""",
            "l238j323ds-23ij4", List.of("read", "write", "dolphin"), EXP,
            "https://protected.example.net/resource", "Z5O3upPC88QrAjx00dis"),
        new Row("RFC 7662 introspection, minimal (only active and client_id)", true, """
            {"active": true, "client_id": "cron"}""",
            "cron", List.of(), null, null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void fromClaims_onProviderPayload_mapsEveryField(Row row) {
    Map<String, Object> claims = JsonClaims.parse(row.json());

    AccessToken token = row.introspection()
        ? AccessToken.fromIntrospection(BEARER, claims)
        : AccessToken.fromClaims(BEARER, claims);

    assertThat(token.token()).isEqualTo(BEARER);
    assertThat(token.clientId()).isEqualTo(row.clientId());
    assertThat(token.scopes()).containsExactlyElementsOf(row.scopes());
    assertThat(token.expiresAt()).isEqualTo(row.expiresAt());
    assertThat(token.resource()).isEqualTo(row.resource());
    assertThat(token.subject()).isEqualTo(row.subject());
    assertThat(token.claims()).isEqualTo(ClaimValues.copyClaims(claims));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void fromClaims_onProviderPayload_isWhatAnIntrospectionGivesWithActiveTrue(Row row) {
    Map<String, Object> claims = JsonClaims.parse(row.json());
    claims.put("active", true);

    assertThat(AccessToken.fromClaims(BEARER, claims))
        .isEqualTo(AccessToken.fromIntrospection(BEARER, claims));
  }

  /** A payload refused as issued, and the words the refusal must contain. */
  record Refused(String provider, boolean introspection, String json, String because) {
    @Override
    public String toString() {
      return provider;
    }
  }

  static Stream<Refused> refused() {
    return Stream.of(
        new Refused("RFC 7662 inactive token", true, """
            {"active": false}""", "not active"),
        new Refused("RFC 7662 inactive token, passed to fromClaims", false, """
            {"active": false}""", "not active"),
        new Refused("RFC 7662 inactive token that still lists claims", true, """
            {"active": false, "client_id": "l238j323ds-23ij4", "scope": "read",
             "exp": 1767225600}""", "not active"),
        new Refused("RFC 7662 response without active", true, """
            {"client_id": "l238j323ds-23ij4", "scope": "read"}""", "no 'active' member"),
        new Refused("RFC 7662 response with active as a string", true, """
            {"active": "true", "client_id": "l238j323ds-23ij4"}""", "JSON boolean"),
        new Refused("Google tokeninfo as returned (exp is a string)", false, """
            {"azp": "407408718192.apps.googleusercontent.com",
             "aud": "407408718192.apps.googleusercontent.com", "sub": "110169484474386276334",
             "scope": "openid", "exp": "1767225600", "expires_in": "3599"}""",
            "'exp' must be a JSON number"),
        new Refused("Spring Authorization Server default JWT (client only in aud)", false, """
            {"sub": "user1", "aud": ["messaging-client"], "nbf": 1767222000,
             "scope": ["message.read"], "iss": "http://localhost:9000", "exp": 1767225600,
             "iat": 1767222000, "jti": "6d1e4a7b-0c2f-4e8a-9b3d-5f7a1c2e3d4b"}""",
            "client_id, azp, cid, appid"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void fromClaims_onRefusedPayload_throwsStatingTheRule(Refused row) {
    Map<String, Object> claims = JsonClaims.parse(row.json());

    assertThatThrownBy(() -> {
      if (row.introspection()) {
        AccessToken.fromIntrospection(BEARER, claims);
      } else {
        AccessToken.fromClaims(BEARER, claims);
      }
    })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(row.because())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(BEARER));
  }
}
