package dev.baton.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter, extractor and binding on a real SDK server in Jetty, called by the SDK's client. */
class McpCallerBindingTest {
  /**
   * The test verifier: "valid-SUBJECT" is SUBJECT; "expired-SUBJECT" is SUBJECT with a token that
   * expired a minute ago (as if it expired between the filter and the handler); anything else
   * throws, quoting the token.
   */
  private static AccessToken verify(String bearer) {
    if (bearer.startsWith("expired-")) {
      return AccessToken.builder(bearer, "client").subject(bearer.substring("expired-".length()))
          .expiresAt(java.time.Instant.now().minusSeconds(60)).build();
    }
    if (!bearer.startsWith("valid-")) {
      throw new IllegalArgumentException("bad token " + bearer);
    }
    return AccessToken.builder(bearer, "client").subject(bearer.substring("valid-".length()))
        .build();
  }

  private final java.util.concurrent.atomic.AtomicInteger handlerRuns =
      new java.util.concurrent.atomic.AtomicInteger();
  private io.modelcontextprotocol.server.McpAsyncServer asyncMcp;

  private TokenSnapshotStore store;
  private Server jetty;
  private McpSyncServer mcp;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    store = TokenSnapshotStores.open(URI.create("memory:local"));
    Baton baton = Baton.builder().store(store).build();
    var transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint("/mcp").contextExtractor(McpCaller.contextExtractor()).build();
    SyncToolSpecification whoami = SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder("whoami", Map.of("type", "object")).build())
        .callHandler((exchange, request) -> {
          handlerRuns.incrementAndGet();
          return CallToolResult.builder()
              .addTextContent(Baton.currentToken().map(t -> String.valueOf(t.subject()))
                  .orElse("nobody"))
              .build();
        })
        .build();
    mcp = McpServer.sync(transport)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(McpCallerBinding.of(baton).bind(whoami)).build();
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = new ServletHolder(transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/mcp");
    FilterHolder filter = new FilterHolder(
        BearerTokenFilter.allowingAnonymous(McpCallerBindingTest::verify));
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/mcp", EnumSet.of(DispatcherType.REQUEST));
    // The same tool, async (McpServer.async), on /mcp-async: its answer is computed lazily, when
    // the SDK subscribes.
    var asyncTransport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint("/mcp-async").contextExtractor(McpCaller.contextExtractor()).build();
    asyncMcp = McpServer.async(asyncTransport)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(McpCallerBinding.of(baton).bind(new AsyncToolSpecification(whoami.tool(),
            (exchange, request) -> reactor.core.publisher.Mono.fromSupplier(() -> {
              handlerRuns.incrementAndGet();
              return CallToolResult.builder()
                  .addTextContent(Baton.currentToken().map(t -> String.valueOf(t.subject()))
                      .orElse("nobody"))
                  .build();
            }))))
        .build();
    ServletHolder asyncHolder = new ServletHolder(asyncTransport);
    asyncHolder.setAsyncSupported(true);
    context.addServlet(asyncHolder, "/mcp-async");
    FilterHolder asyncFilter = new FilterHolder(
        BearerTokenFilter.allowingAnonymous(McpCallerBindingTest::verify));
    asyncFilter.setAsyncSupported(true);
    context.addFilter(asyncFilter, "/mcp-async", EnumSet.of(DispatcherType.REQUEST));
    jetty = new Server(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    jetty.setHandler(context);
    jetty.start();
    base = URI.create("http://127.0.0.1:" + ((NetworkConnector) jetty.getConnectors()[0])
        .getLocalPort());
  }

  @AfterEach
  void stop() throws Exception {
    mcp.closeGracefully();
    asyncMcp.closeGracefully().block(Duration.ofSeconds(30));
    jetty.stop();
    store.close();
  }

  private String whoami(@org.jspecify.annotations.Nullable String token) {
    return whoami("/mcp", token);
  }

  private String whoami(String endpoint, @org.jspecify.annotations.Nullable String token) {
    var builder = HttpClientStreamableHttpTransport.builder(base.toString()).endpoint(endpoint);
    if (token != null) {
      builder.addHttpRequestCustomizer((request, method, uri, body, context) ->
          request.setHeader("Authorization", "Bearer " + token));
    }
    McpSyncClient client = McpClient.sync(builder.build())
        .requestTimeout(Duration.ofSeconds(30)).build();
    try {
      client.initialize();
      CallToolResult result = client.callTool(CallToolRequest.builder("whoami")
          .arguments(Map.of()).build());
      return ((McpSchema.TextContent) result.content().get(0)).text();
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void bind_handlerSeesTheCallerOfEachCall() {
    assertThat(List.of(whoami("valid-alice"), whoami("valid-bob"), whoami("valid-alice")))
        .containsExactly("alice", "bob", "alice");
  }

  @Test
  void bind_callWithoutToken_seesNoCaller_evenAfterAuthenticatedCalls() {
    whoami("valid-alice");
    whoami("valid-bob");

    assertThat(whoami(null)).isEqualTo("nobody");
  }

  @Test
  void bind_tokenExpiredBeforeTheHandlerRuns_isRefused_andTheHandlerNeverRuns() {
    assertThatThrownBy(() -> whoami("expired-alice"))
        .isInstanceOf(McpError.class).hasMessageContaining(McpCallerBinding.EXPIRED_MESSAGE);
    assertThat(handlerRuns).hasValue(0);
  }

  @Test
  void bindAsync_handlerAndItsLazyMono_seeTheCallerOfEachCall() {
    assertThat(List.of(whoami("/mcp-async", "valid-alice"), whoami("/mcp-async", "valid-bob"),
            whoami("/mcp-async", null)))
        .containsExactly("alice", "bob", "nobody");
  }

  @Test
  void bindAsync_tokenExpiredBeforeTheHandlerRuns_isRefused() {
    assertThatThrownBy(() -> whoami("/mcp-async", "expired-alice"))
        .isInstanceOf(McpError.class).hasMessageContaining(McpCallerBinding.EXPIRED_MESSAGE);
    assertThat(handlerRuns).hasValue(0);
  }

  @Test
  void filter_refusedToken_is401InvalidToken_withoutEchoingTheToken() throws Exception {
    HttpResponse<String> response = post("Bearer forged-secret-123");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer error=\"invalid_token\"");
    assertThat(response.body()).doesNotContain("forged-secret-123");
  }

  @Test
  void filter_nonBearerScheme_is401InvalidToken() throws Exception {
    HttpResponse<String> response = post("Basic dmFsaWQtYWxpY2U6eA==");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer error=\"invalid_token\"");
  }

  @Test
  void filterRequiring_missingHeader_is401BearerChallenge() throws Exception {
    jetty.stop();
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(BearerTokenFilter.requiring(McpCallerBindingTest::verify)),
        "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new jakarta.servlet.http.HttpServlet() {
      private static final long serialVersionUID = 1L;
    }), "/mcp");
    jetty.setHandler(context);
    jetty.start();
    base = URI.create("http://127.0.0.1:" + ((NetworkConnector) jetty.getConnectors()[0])
        .getLocalPort());

    HttpResponse<String> response = post(null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  private HttpResponse<String> post(@org.jspecify.annotations.Nullable String authorization)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/mcp"))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
