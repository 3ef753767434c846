package dev.baton.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's server, as written there ({@link ReportsMcpServer} is the README's block, checked
 * character for character), serving real requests from the MCP Java SDK's client.
 */
class ReadmeServerTest {
  static final URI AUTHORIZATION_SERVER = URI.create("https://auth.example.com");

  /** Test tokens: "alice" and "bob" carry the scope; "no-scope" lacks it; "no-client" no client. */
  static Map<String, ?> claimsOf(String token) {
    return switch (token) {
      case "token-alice" -> Map.of("sub", "alice", "client_id", "app", "scope", "reports");
      case "token-bob" -> Map.of("sub", "bob", "client_id", "app", "scope", "reports other");
      case "token-no-scope" -> Map.of("sub", "carol", "client_id", "app", "scope", "other");
      case "token-no-client" -> Map.of("sub", "dave", "scope", "reports");
      default -> throw new IllegalArgumentException("unknown token " + token);
    };
  }

  private TokenSnapshotStore store;
  private Baton baton;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private Server jetty;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    store = TokenSnapshotStores.open(URI.create("memory:local"));
    baton = Baton.builder().store(store).build();
    jetty = ReportsMcpServer.start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
        URI.create("https://reports.example.com/mcp"), AUTHORIZATION_SERVER,
        ReadmeServerTest::claimsOf, baton, queue::add);
    base = URI.create("http://127.0.0.1:"
        + ((NetworkConnector) jetty.getConnectors()[0]).getLocalPort());
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
    store.close();
  }

  @Test
  void readme_javaBlock_isReportsMcpServerCharacterForCharacter() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    String source = Files.readString(
        Path.of("src/test/java/dev/baton/mcp/ReportsMcpServer.java"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    String serverBlock = null;
    while (block.find()) {
      if (block.group(1).contains("class ReportsMcpServer")) {
        serverBlock = block.group(1);
      }
    }

    assertThat(serverBlock).as("README.md java block with class ReportsMcpServer").isNotNull();
    assertThat(serverBlock).isEqualTo(source.substring(source.indexOf("\n\n") + 2));
  }

  @Test
  void readme_sdkAndJettyVersions_areTheOnesThisModuleIsBuiltWith() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    String pom = Files.readString(Path.of("..", "..", "pom.xml"), StandardCharsets.UTF_8);

    for (String property : List.of("mcp-sdk.version", "jetty.version")) {
      Matcher version = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)<").matcher(pom);
      assertThat(version.find()).as(property).isTrue();
      assertThat(readme).as("README names %s %s", property, version.group(1))
          .contains("<version>" + version.group(1) + "</version>");
    }
  }

  @Test
  void readmeServer_toolCallFromTheSdkClient_capturesItsCaller() throws Exception {
    String taskId = callStartReport("token-alice");

    String encoded = queue.poll(1, TimeUnit.MINUTES);
    assertThat(encoded).isNotNull();
    TaskKey key = TaskKey.parse(encoded);
    assertThat(key.taskId()).isEqualTo(taskId);
    AtomicReference<String> ranAs = new AtomicReference<>();
    baton.run(key, () -> ranAs.set(Baton.currentToken().map(AccessToken::subject).orElse(null)));
    assertThat(ranAs).hasValue("alice");
  }

  @Test
  void readmeServer_twoCallersInterleaved_eachJobRestoresItsOwnCaller() throws Exception {
    for (String token : List.of("token-alice", "token-bob", "token-alice", "token-bob")) {
      callStartReport(token);
    }

    for (String expected : List.of("alice", "bob", "alice", "bob")) {
      TaskKey key = TaskKey.parse(queue.take());
      AtomicReference<String> ranAs = new AtomicReference<>();
      baton.run(key, () -> ranAs.set(Baton.currentToken().orElseThrow().subject()));
      assertThat(ranAs).hasValue(expected);
    }
  }

  @Test
  void readmeServer_withoutToken_is401PointingAtTheResourceMetadata() throws Exception {
    HttpResponse<String> response = post(null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
        "Bearer scope=\"reports\", resource_metadata=\"https://reports.example.com"
            + "/.well-known/oauth-protected-resource/mcp\"");
  }

  @Test
  void readmeServer_unknownToken_is401InvalidTokenPointingAtTheResourceMetadata()
      throws Exception {
    HttpResponse<String> response = post("forged-secret");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
        "Bearer error=\"invalid_token\", scope=\"reports\", resource_metadata=\""
            + "https://reports.example.com/.well-known/oauth-protected-resource/mcp\"");
    assertThat(response.body()).doesNotContain("forged-secret");
  }

  @Test
  void readmeServer_tokenWithoutTheScope_is403InsufficientScopeNamingIt() throws Exception {
    HttpResponse<String> response = post("token-no-scope");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
        "Bearer error=\"insufficient_scope\", scope=\"reports\", resource_metadata=\""
            + "https://reports.example.com/.well-known/oauth-protected-resource/mcp\"");
    assertThat(queue).isEmpty();
  }

  @Test
  void readmeServer_tokenWithoutClientId_is401_andOneWarningNamesTheMissingClaim()
      throws Exception {
    List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger(BearerTokenFilter.class.getName());
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    try {
      HttpResponse<String> response = post("token-no-client");

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(records).singleElement().satisfies(record -> {
        assertThat(record.getLevel()).isEqualTo(Level.WARNING);
        String message = new java.util.logging.SimpleFormatter().formatMessage(record);
        assertThat(message).contains("claims name no client", "client_id")
            .doesNotContain("token-no-client");
      });
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void readmeServer_metadataDocument_isServedAtTheRfc9728Path() throws Exception {
    HttpResponse<String> response = get("/.well-known/oauth-protected-resource/mcp");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    assertThat(response.body()).isEqualTo("{\"resource\":\"https://reports.example.com/mcp\","
        + "\"authorization_servers\":[\"https://auth.example.com\"],"
        + "\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[\"reports\"]}");
    assertThat(get("/.well-known/oauth-protected-resource").body()).isEqualTo(response.body());
    assertThat(get("/.well-known/oauth-protected-resource/other").statusCode()).isEqualTo(404);
  }

  private String callStartReport(String token) {
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
            .builder(base.toString()).endpoint("/mcp")
            .addHttpRequestCustomizer((request, method, uri, body, context) ->
                request.setHeader("Authorization", "Bearer " + token))
            .build())
        .requestTimeout(Duration.ofSeconds(30)).build();
    try {
      client.initialize();
      CallToolResult result = client.callTool(CallToolRequest.builder("start_report")
          .arguments(Map.of()).build());
      assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
      return ((McpSchema.TextContent) result.content().get(0)).text();
    } finally {
      client.closeGracefully();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path)).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(@org.jspecify.annotations.Nullable String token)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/mcp"))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
