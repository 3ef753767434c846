package dev.baton.examples.mcp;

import dev.baton.mcp.McpCallerBinding;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One MCP client of the demo: the SDK's own {@link McpSyncClient} over Streamable HTTP, sending its
 * bearer token (if any) on every request. The token can be replaced, as a client refreshing it
 * would. A call the server refuses ({@code 401}/{@code 403}: the token expired, say) is reported as
 * refused, never thrown; the next {@link #useToken} reconnects with the new token.
 */
public final class DemoClient implements AutoCloseable {
  private final URI server;
  private final AtomicReference<@Nullable String> token;
  private @Nullable McpSyncClient client;

  /**
   * A client of {@code server}; it initializes the MCP session on its first call.
   *
   * @param server the server's base URI; the MCP endpoint is {@code /mcp}
   * @param token the bearer token to send, or null to send none
   */
  public DemoClient(URI server, @Nullable String token) {
    this.server = Objects.requireNonNull(server, "server");
    this.token = new AtomicReference<>(token);
  }

  /** Sends {@code newToken} from now on, on a new session if the server refused the old one. */
  public synchronized void useToken(@Nullable String newToken) {
    token.set(newToken);
    // A refused call leaves the SDK's session in an unknown state: start afresh, as a client
    // would after getting a new token.
    close();
  }

  /**
   * Calls {@code start_report}; returns the job id, or empty if the server refused the call (the
   * token was missing, expired or lacked a scope).
   */
  public Optional<String> startReport(String topic) {
    try {
      return Optional.of(String.valueOf(
          structured(call("start_report", Map.of("topic", topic))).get("job_id")));
    } catch (RuntimeException e) {
      if (refused(e)) {
        close();
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Calls {@code report_status}; returns its fields ({@code status}, {@code ran_as}, ...). */
  public Map<String, Object> reportStatus(String jobId) {
    return structured(call("report_status", Map.of("job_id", jobId)));
  }

  /** Calls any tool with any arguments, as a misbehaving client might. */
  public CallToolResult call(String tool, Map<String, Object> arguments) {
    return connected().callTool(CallToolRequest.builder(tool).arguments(arguments).build());
  }

  /**
   * Whether {@code failure} (or a cause) is the server's {@code 401}/{@code 403}, or its refusal of
   * a call whose token expired before the tool ran.
   */
  static boolean refused(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof McpHttpClientTransportAuthorizationException
          || (t instanceof McpError && String.valueOf(t.getMessage()).contains(McpCallerBinding.EXPIRED_MESSAGE))) {
        return true;
      }
    }
    return false;
  }

  private synchronized McpSyncClient connected() {
    McpSyncClient current = client;
    if (current == null) {
      HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
          .builder(server.toString())
          .endpoint("/mcp")
          .addHttpRequestCustomizer((request, method, uri, body, context) -> {
            String bearer = this.token.get();
            if (bearer != null) {
              request.setHeader("Authorization", "Bearer " + bearer);
            }
          })
          .build();
      current = McpClient.sync(transport)
          .requestTimeout(Duration.ofSeconds(30))
          .initializationTimeout(Duration.ofSeconds(30))
          .build();
      client = current;
      current.initialize();
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> structured(CallToolResult result) {
    if (Boolean.TRUE.equals(result.isError()) || !(result.structuredContent() instanceof Map)) {
      throw new IllegalStateException("tool failed: " + result.content());
    }
    return (Map<String, Object>) Objects.requireNonNull(result.structuredContent());
  }

  @Override
  public synchronized void close() {
    McpSyncClient current = client;
    client = null;
    if (current != null) {
      current.closeGracefully();
    }
  }
}
