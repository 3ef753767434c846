package dev.baton.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Strict configuration of the RFC 9728 document, its path, and the challenges that point at it. */
class ProtectedResourceMetadataTest {
  private static final URI AUTH = URI.create("https://auth.example.com");

  @Test
  void path_insertsTheWellKnownPrefixBeforeTheResourcePath() {
    ProtectedResourceMetadata metadata = ProtectedResourceMetadata
        .builder(URI.create("https://reports.example.com/tenant/mcp"))
        .authorizationServer(AUTH).build();

    assertThat(metadata.path()).isEqualTo("/.well-known/oauth-protected-resource/tenant/mcp");
    assertThat(metadata.uri()).isEqualTo(URI.create(
        "https://reports.example.com/.well-known/oauth-protected-resource/tenant/mcp"));
  }

  @Test
  void path_ofAResourceWithoutPath_isTheWellKnownPath() {
    ProtectedResourceMetadata metadata = ProtectedResourceMetadata
        .builder(URI.create("https://reports.example.com")).authorizationServer(AUTH).build();

    assertThat(metadata.path()).isEqualTo(ProtectedResourceMetadata.WELL_KNOWN_PATH);
  }

  @Test
  void builder_plainHttpOffLoopback_isRefused() {
    assertThatThrownBy(() -> ProtectedResourceMetadata.builder(
            URI.create("http://reports.example.com/mcp")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be https (http only on a loopback host)");
  }

  @Test
  void builder_plainHttpOnLoopback_isAccepted() {
    assertThat(ProtectedResourceMetadata.builder(URI.create("http://127.0.0.1:8080/mcp"))
        .authorizationServer(URI.create("http://localhost:9000")).build().resource())
        .hasPort(8080);
  }

  @Test
  void builder_queryFragmentOrUserInfo_isRefused() {
    for (String uri : new String[] {"https://r.example.com/mcp?x=1", "https://r.example.com/mcp#f",
        "https://user@r.example.com/mcp"}) {
      assertThatThrownBy(() -> ProtectedResourceMetadata.builder(URI.create(uri)))
          .as(uri).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must not have user info, a query or a fragment");
    }
  }

  @Test
  void builder_relativeResource_isRefused() {
    assertThatThrownBy(() -> ProtectedResourceMetadata.builder(URI.create("/mcp")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
  }

  @Test
  void build_withoutAuthorizationServer_isIllegalState() {
    assertThatThrownBy(() -> ProtectedResourceMetadata
            .builder(URI.create("https://r.example.com/mcp")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one authorization server");
  }

  @Test
  void scopesSupported_notAScopeToken_isRefused() {
    var builder = ProtectedResourceMetadata.builder(URI.create("https://r.example.com/mcp"));
    for (String scope : new String[] {"", "two words", "quo\"te", "back\\slash", "tab\t"}) {
      assertThatThrownBy(() -> builder.scopesSupported(scope)).as(scope)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void toJson_holdsEveryConfiguredField_escaped() {
    String json = ProtectedResourceMetadata.builder(URI.create("https://r.example.com/mcp"))
        .authorizationServer(AUTH).authorizationServer(URI.create("https://other.example.com"))
        .scopesSupported("reports:read", "reports:write", "reports:read")
        .resourceName("Reports \"MCP\" <server>").build().toJson();

    assertThat(json).isEqualTo("{\"resource\":\"https://r.example.com/mcp\","
        + "\"authorization_servers\":[\"https://auth.example.com\",\"https://other.example.com\"],"
        + "\"bearer_methods_supported\":[\"header\"],"
        + "\"scopes_supported\":[\"reports:read\",\"reports:write\"],"
        + "\"resource_name\":\"Reports \\\"MCP\\\" \\u003cserver\\u003e\"}");
  }

  @Test
  void challenge_withoutMetadataOrScopes_isBareBearer() {
    BearerTokenFilter filter = BearerTokenFilter.builder(token -> {
      throw new IllegalArgumentException();
    }).build();

    assertThat(filter.challenge(null)).isEqualTo("Bearer");
    assertThat(filter.challenge("invalid_token")).isEqualTo("Bearer error=\"invalid_token\"");
  }

  @Test
  void filterBuilder_metadataSetTwice_isIllegalState() {
    ProtectedResourceMetadata metadata = ProtectedResourceMetadata
        .builder(URI.create("https://r.example.com/mcp")).authorizationServer(AUTH).build();
    var builder = BearerTokenFilter.builder(token -> {
      throw new IllegalArgumentException();
    }).resourceMetadata(metadata);

    assertThatThrownBy(() -> builder.resourceMetadata(metadata))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void filterBuilder_anonymousWithRequiredScopes_isIllegalState() {
    var builder = BearerTokenFilter.builder(token -> {
      throw new IllegalArgumentException();
    }).allowAnonymous().requiredScopes("reports");

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("contradict");
  }
}
