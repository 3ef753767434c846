package dev.baton.mcp;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) of an MCP server: what an OAuth-aware client
 * needs to get a token for it. MCP's authorization specification (2025-06-18 and later) has the
 * client find this document from the {@code resource_metadata} parameter of the server's
 * {@code 401} challenge ({@link BearerTokenFilter} adds it), fetch it, and ask one of the
 * {@link #authorizationServers() authorization servers} for a token bound to
 * {@link #resource()} (RFC 8707) with the {@link #scopesSupported() scopes} it lists.
 *
 * <p>Everything comes from configuration, never from the request: a {@code Host} header is
 * untrusted input, and a metadata URL built from it would let a caller point clients elsewhere.
 *
 * <p>Rules (checked by {@link Builder#build()}, which throws {@link IllegalArgumentException}
 * naming the rule): the resource and every authorization server are absolute {@code https} URIs
 * ({@code http} only on a loopback host: {@code localhost}, {@code 127.0.0.1}, {@code [::1]}),
 * without user info, query or fragment; at least one authorization server; scopes are RFC 6749
 * scope tokens (no spaces, quotes or backslashes), since they travel in a quoted
 * {@code WWW-Authenticate} parameter.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProtectedResourceMetadata {
  /** The well-known path prefix of RFC 9728 (section 3). */
  public static final String WELL_KNOWN_PATH = "/.well-known/oauth-protected-resource";

  private final URI resource;
  private final List<URI> authorizationServers;
  private final List<String> scopesSupported;
  private final @Nullable String resourceName;

  private ProtectedResourceMetadata(Builder builder) {
    this.resource = builder.resource;
    this.authorizationServers = List.copyOf(builder.authorizationServers);
    this.scopesSupported = List.copyOf(builder.scopesSupported);
    this.resourceName = builder.resourceName;
  }

  /**
   * A builder for the metadata of {@code resource}, the MCP server's canonical URI as clients use
   * it (for example {@code https://reports.example.com/mcp}).
   *
   * @throws NullPointerException if {@code resource} is null
   */
  public static Builder builder(URI resource) {
    return new Builder(checkedUri(Objects.requireNonNull(resource, "resource"), "resource"));
  }

  /** The protected resource's identifier ({@code resource}). */
  public URI resource() {
    return resource;
  }

  /** The authorization servers that issue tokens for it ({@code authorization_servers}). */
  public List<URI> authorizationServers() {
    return authorizationServers;
  }

  /** The scopes clients may request for it ({@code scopes_supported}); may be empty. */
  public List<String> scopesSupported() {
    return scopesSupported;
  }

  /** The human-readable name ({@code resource_name}), if configured. */
  public @Nullable String resourceName() {
    return resourceName;
  }

  /**
   * The path this document is served at: {@link #WELL_KNOWN_PATH} followed by the resource's path
   * (RFC 9728 section 3.1), for example {@code /.well-known/oauth-protected-resource/mcp}.
   */
  public String path() {
    String resourcePath = resource.getRawPath();
    if (resourcePath == null || resourcePath.isEmpty() || resourcePath.equals("/")) {
      return WELL_KNOWN_PATH;
    }
    return WELL_KNOWN_PATH + resourcePath;
  }

  /** The absolute URL of this document: the resource's origin and {@link #path()}. */
  public URI uri() {
    return URI.create(resource.getScheme() + "://" + resource.getRawAuthority() + path());
  }

  /** The document as JSON (RFC 9728 section 2), with {@code bearer_methods_supported: ["header"]}. */
  public String toJson() {
    StringBuilder json = new StringBuilder("{\"resource\":");
    quote(json, resource.toString());
    json.append(",\"authorization_servers\":[");
    for (int i = 0; i < authorizationServers.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      quote(json, authorizationServers.get(i).toString());
    }
    json.append("],\"bearer_methods_supported\":[\"header\"]");
    if (!scopesSupported.isEmpty()) {
      json.append(",\"scopes_supported\":[");
      for (int i = 0; i < scopesSupported.size(); i++) {
        if (i > 0) {
          json.append(',');
        }
        quote(json, scopesSupported.get(i));
      }
      json.append(']');
    }
    if (resourceName != null) {
      json.append(",\"resource_name\":");
      quote(json, resourceName);
    }
    return json.append('}').toString();
  }

  @Override
  public String toString() {
    return "ProtectedResourceMetadata[resource=" + resource + ", authorizationServers="
        + authorizationServers + ", scopesSupported=" + scopesSupported + "]";
  }

  private static void quote(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  static URI checkedUri(URI uri, String name) {
    if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
      throw new IllegalArgumentException(name + " must be an absolute https URI: " + uri);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean loopback = List.of("localhost", "127.0.0.1", "[::1]").contains(
        uri.getHost().toLowerCase(Locale.ROOT));
    if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
      throw new IllegalArgumentException(
          name + " must be https (http only on a loopback host): " + uri);
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          name + " must not have user info, a query or a fragment: " + uri);
    }
    return uri;
  }

  static String checkedScope(String scope) {
    Objects.requireNonNull(scope, "scope");
    if (scope.isEmpty()) {
      throw new IllegalArgumentException("scope must not be empty");
    }
    for (int i = 0; i < scope.length(); i++) {
      char c = scope.charAt(i);
      // RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
        throw new IllegalArgumentException("scope must be an RFC 6749 scope token (printable "
            + "ASCII, no space, quote or backslash): " + scope.replaceAll("[^\\x21-\\x7e]", "?"));
      }
    }
    return scope;
  }

  /** Builds {@link ProtectedResourceMetadata}; not thread-safe. */
  public static final class Builder {
    private final URI resource;
    private final List<URI> authorizationServers = new ArrayList<>();
    private final List<String> scopesSupported = new ArrayList<>();
    private @Nullable String resourceName;

    private Builder(URI resource) {
      this.resource = resource;
    }

    /**
     * Adds an authorization server, by its issuer identifier (RFC 8414), for example
     * {@code https://auth.example.com}.
     *
     * @throws NullPointerException if {@code issuer} is null
     * @throws IllegalArgumentException if it breaks a rule of {@link ProtectedResourceMetadata}
     */
    public Builder authorizationServer(URI issuer) {
      authorizationServers.add(checkedUri(Objects.requireNonNull(issuer, "issuer"),
          "authorization server"));
      return this;
    }

    /**
     * Adds scopes clients may request.
     *
     * @throws NullPointerException if a scope is null
     * @throws IllegalArgumentException if a scope is not an RFC 6749 scope token
     */
    public Builder scopesSupported(String... scopes) {
      for (String scope : scopes) {
        String checked = checkedScope(scope);
        if (!scopesSupported.contains(checked)) {
          scopesSupported.add(checked);
        }
      }
      return this;
    }

    /**
     * Sets the human-readable name shown to users.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder resourceName(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("resource name must not be blank");
      }
      this.resourceName = name;
      return this;
    }

    /**
     * The metadata.
     *
     * @throws IllegalStateException if no authorization server was added
     */
    public ProtectedResourceMetadata build() {
      if (authorizationServers.isEmpty()) {
        throw new IllegalStateException("at least one authorization server is required");
      }
      return new ProtectedResourceMetadata(this);
    }
  }
}
