package dev.baton.mcp;

import dev.baton.AccessToken;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the authenticated caller of an MCP request travels: from the servlet request (attribute
 * {@link #REQUEST_ATTRIBUTE}, set by {@link BearerTokenFilter} or by the application's own
 * authentication) into the SDK's {@link McpTransportContext} (key {@link #CONTEXT_KEY}), from which
 * {@link McpCallerBinding} binds it around the tool handler.
 *
 * <p>Stateless and thread-safe.
 */
public final class McpCaller {
  /** The servlet request attribute holding the authenticated {@link AccessToken}. */
  public static final String REQUEST_ATTRIBUTE = "dev.baton.mcp.caller";
  /** The {@link McpTransportContext} key holding the authenticated {@link AccessToken}. */
  public static final String CONTEXT_KEY = "dev.baton.mcp.caller";

  private static final McpTransportContextExtractor<HttpServletRequest> EXTRACTOR =
      McpCaller::extract;

  private McpCaller() {}

  /**
   * The extractor to give the SDK's servlet transport
   * ({@code HttpServletStreamableServerTransportProvider.builder().contextExtractor(...)}): it
   * copies the request's {@link #REQUEST_ATTRIBUTE} into the transport context. A request without
   * one (or with something other than an {@link AccessToken} there) yields a context without a
   * caller, so its tool calls run unauthenticated.
   */
  public static McpTransportContextExtractor<HttpServletRequest> contextExtractor() {
    return EXTRACTOR;
  }

  /**
   * The caller held by a transport context, as put there by {@link #contextExtractor()}.
   *
   * @throws NullPointerException if {@code context} is null
   */
  public static Optional<AccessToken> from(McpTransportContext context) {
    Objects.requireNonNull(context, "context");
    Object caller = context.get(CONTEXT_KEY);
    return caller instanceof AccessToken token ? Optional.of(token) : Optional.empty();
  }

  private static McpTransportContext extract(HttpServletRequest request) {
    Object caller = request.getAttribute(REQUEST_ATTRIBUTE);
    if (caller instanceof AccessToken token) {
      return McpTransportContext.create(Map.of(CONTEXT_KEY, token));
    }
    return McpTransportContext.EMPTY;
  }
}
