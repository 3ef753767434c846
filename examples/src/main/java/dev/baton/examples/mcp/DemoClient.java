package dev.baton.examples.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One MCP client of the demo: the SDK's own {@link McpSyncClient} over Streamable HTTP, sending its
 * bearer token (if any) on every request. The token can be replaced, as a client refreshing it
 * would.
 */
public final class DemoClient implements AutoCloseable {
  private final AtomicReference<@Nullable String> token;
  private final McpSyncClient client;

  /**
   * Connects to {@code server} and initializes the MCP session.
   *
   * @param server the server's base URI; the MCP endpoint is {@code /mcp}
   * @param token the bearer token to send, or null to send none
   */
  public DemoClient(URI server, @Nullable String token) {
    this.token = new AtomicReference<>(token);
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
        .builder(server.toString())
        .endpoint("/mcp")
        .addHttpRequestCustomizer((request, method, uri, body, context) -> {
          String current = this.token.get();
          if (current != null) {
            request.setHeader("Authorization", "Bearer " + current);
          }
        })
        .build();
    this.client = McpClient.sync(transport)
        .requestTimeout(Duration.ofSeconds(30))
        .initializationTimeout(Duration.ofSeconds(30))
        .build();
    client.initialize();
  }

  /** Sends {@code newToken} from now on. */
  public void useToken(@Nullable String newToken) {
    token.set(newToken);
  }

  /** Calls {@code start_report}; returns the job id. */
  public String startReport(String topic) {
    return String.valueOf(structured(call("start_report", Map.of("topic", topic))).get("job_id"));
  }

  /** Calls {@code report_status}; returns its fields ({@code status}, {@code ran_as}, ...). */
  public Map<String, Object> reportStatus(String jobId) {
    return structured(call("report_status", Map.of("job_id", jobId)));
  }

  /** Calls any tool with any arguments, as a misbehaving client might. */
  public CallToolResult call(String tool, Map<String, Object> arguments) {
    return client.callTool(CallToolRequest.builder(tool).arguments(arguments).build());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> structured(CallToolResult result) {
    if (Boolean.TRUE.equals(result.isError()) || !(result.structuredContent() instanceof Map)) {
      throw new IllegalStateException("tool failed: " + result.content());
    }
    return (Map<String, Object>) Objects.requireNonNull(result.structuredContent());
  }

  @Override
  public void close() {
    client.closeGracefully();
  }
}
