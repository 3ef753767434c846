package dev.baton.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's server ({@link ReportsMcpServer}) and the official MCP TypeScript SDK client
 * ({@code @modelcontextprotocol/sdk}, installed from npm into {@code target/ts-client} with
 * {@code npm ci}): the client starts with no token (or one without the required scope), follows
 * the {@code 401}/{@code 403} challenge to the Protected Resource Metadata, finds the authorization
 * server there, gets a token for the advertised resource and scope (authorization code with PKCE,
 * approved at once by the test's authorization server) and calls the tool, which runs as the
 * caller the token names.
 *
 * <p>Needs Node.js 18+ and npm on the PATH (Debian: {@code apt-get install nodejs npm}); without
 * them the test fails, saying so.
 */
class OAuthDiscoveryTest {
  private static final Path CLIENT_DIR = Path.of("target", "ts-client");
  private static final Path SOURCES = Path.of("src", "test", "node");

  private TestAuthorizationServer authorizationServer;
  private TokenSnapshotStore store;
  private Baton baton;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private Server mcp;
  private URI resource;

  @BeforeAll
  static void installTypeScriptClient() throws Exception {
    String version;
    try {
      version = run(Path.of("."), List.of("node", "--version")).strip();
    } catch (IOException e) {
      throw new AssertionError("OAuthDiscoveryTest needs Node.js 18+ and npm on the PATH (Debian: "
          + "apt-get install nodejs npm): " + e.getMessage(), e);
    }
    assertThat(Integer.parseInt(version.replaceFirst("^v(\\d+)\\..*", "$1")))
        .as("Node.js major version (%s); OAuthDiscoveryTest needs 18+", version)
        .isGreaterThanOrEqualTo(18);
    Files.createDirectories(CLIENT_DIR);
    Path lock = CLIENT_DIR.resolve("package-lock.json");
    boolean current = Files.exists(CLIENT_DIR.resolve("node_modules/@modelcontextprotocol/sdk"))
        && Files.exists(lock)
        && Files.mismatch(lock, SOURCES.resolve("package-lock.json")) == -1;
    for (String file : List.of("package.json", "package-lock.json", "discovery-client.mjs")) {
      Files.copy(SOURCES.resolve(file), CLIENT_DIR.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (!current) {
      run(CLIENT_DIR, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"));
    }
  }

  @BeforeEach
  void start() throws Exception {
    authorizationServer = new TestAuthorizationServer();
    store = TokenSnapshotStores.open(URI.create("memory:local"));
    baton = Baton.builder().store(store).build();
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    resource = URI.create("http://127.0.0.1:" + port + "/mcp");
    mcp = ReportsMcpServer.start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port),
        resource, authorizationServer.issuer(), authorizationServer::claims, baton, queue::add);
  }

  @AfterEach
  void stop() throws Exception {
    mcp.stop();
    store.close();
    authorizationServer.close();
  }

  @Test
  void typeScriptClient_withoutToken_discoversTheAuthorizationServer_andCallsTheToolAsItsUser()
      throws Exception {
    String output = runClient(List.of());

    assertThat(output).contains("\"authorizations\":1");
    assertThat(authorizationServer.authorizeRequests()).singleElement().satisfies(request -> {
      assertThat(request).containsEntry("resource", resource.toString())
          .containsEntry("scope", "reports").containsEntry("code_challenge_method", "S256")
          .containsEntry("client_id", "ts-client");
    });
    assertThat(ranAs(output)).isEqualTo("ts-user");
  }

  @Test
  void typeScriptClient_tokenWithoutTheScope_isSent403_andStepsUpToTheRequiredScope()
      throws Exception {
    String narrow = authorizationServer.issue("ts-user", "other", resource.toString());

    String output = runClient(List.of(narrow));

    assertThat(output).contains("\"authorizations\":1");
    assertThat(authorizationServer.authorizeRequests()).singleElement()
        .satisfies(request -> assertThat(request).containsEntry("scope", "reports"));
    assertThat(ranAs(output)).isEqualTo("ts-user");
  }

  /** The tool's text is the task id; the job it queued restores the token's user. */
  private String ranAs(String output) throws Exception {
    String encoded = queue.poll(1, TimeUnit.MINUTES);
    assertThat(encoded).as("the tool queued a job").isNotNull();
    TaskKey key = TaskKey.parse(encoded);
    assertThat(output).contains("\"text\":\"" + key.taskId() + "\"");
    AtomicReference<String> subject = new AtomicReference<>();
    baton.run(key, () -> subject.set(Baton.currentToken().map(AccessToken::subject).orElse("-")));
    return subject.get();
  }

  private String runClient(List<String> extraArguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", "discovery-client.mjs",
        resource.toString()));
    command.addAll(extraArguments);
    return run(CLIENT_DIR, command);
  }

  /** Runs {@code command} in {@code dir}; returns its output, or fails with it. */
  private static String run(Path dir, List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
    assertThat(process.exitValue()).as("exit code of %s; output:%n%s", command, output).isZero();
    return output;
  }

  /**
   * A minimal OAuth 2.1 authorization server on loopback for one pre-registered public client:
   * RFC 8414 metadata, an authorization endpoint that approves at once (302 with a code), and a
   * token endpoint that checks the PKCE verifier (S256) and issues opaque tokens, which
   * {@link #claims} introspects for the MCP server.
   */
  static final class TestAuthorizationServer implements AutoCloseable {
    private final Server jetty;
    private final URI issuer;
    private final List<Map<String, String>> authorizeRequests = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ?>> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    TestAuthorizationServer() throws Exception {
      jetty = new Server(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      ServletContextHandler context = new ServletContextHandler();
      context.addServlet(new ServletHolder(new HttpServlet() {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
          handle(request, response);
        }
      }), "/*");
      jetty.setHandler(context);
      jetty.start();
      issuer = URI.create("http://127.0.0.1:"
          + ((NetworkConnector) jetty.getConnectors()[0]).getLocalPort());
    }

    URI issuer() {
      return issuer;
    }

    List<Map<String, String>> authorizeRequests() {
      return authorizeRequests;
    }

    /** The verified claims of a token this server issued; throws for any other. */
    Map<String, ?> claims(String token) {
      Map<String, ?> claims = tokens.get(token);
      if (claims == null) {
        throw new IllegalArgumentException("not a token of this authorization server");
      }
      return claims;
    }

    String issue(String subject, String scope, String audience) {
      String token = randomString();
      tokens.put(token, Map.of("sub", subject, "client_id", "ts-client", "scope", scope,
          "aud", audience));
      return token;
    }

    private String randomString() {
      byte[] bytes = new byte[24];
      random.nextBytes(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void handle(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String path = request.getRequestURI();
      if (path.equals("/.well-known/oauth-authorization-server")) {
        json(response, 200, "{\"issuer\":\"" + issuer + "\","
            + "\"authorization_endpoint\":\"" + issuer + "/authorize\","
            + "\"token_endpoint\":\"" + issuer + "/token\","
            + "\"response_types_supported\":[\"code\"],"
            + "\"grant_types_supported\":[\"authorization_code\"],"
            + "\"code_challenge_methods_supported\":[\"S256\"],"
            + "\"token_endpoint_auth_methods_supported\":[\"none\"]}");
      } else if (path.equals("/authorize") && request.getMethod().equals("GET")) {
        Map<String, String> parameters = new java.util.HashMap<>();
        request.getParameterMap().forEach((name, values) -> parameters.put(name, values[0]));
        authorizeRequests.add(Map.copyOf(parameters));
        String code = randomString();
        codes.put(code, Map.copyOf(parameters));
        response.setStatus(302);
        response.setHeader("Location", parameters.get("redirect_uri") + "?code=" + code
            + "&state=" + URLEncoder.encode(parameters.getOrDefault("state", ""),
                StandardCharsets.UTF_8));
      } else if (path.equals("/token") && request.getMethod().equals("POST")) {
        Map<String, String> authorization = codes.remove(
            String.valueOf(request.getParameter("code")));
        String verifier = request.getParameter("code_verifier");
        if (authorization == null || verifier == null
            || !authorization.get("code_challenge").equals(s256(verifier))
            || !authorization.get("redirect_uri").equals(request.getParameter("redirect_uri"))) {
          json(response, 400, "{\"error\":\"invalid_grant\"}");
          return;
        }
        String scope = authorization.getOrDefault("scope", "");
        String token = issue("ts-user", scope, authorization.getOrDefault("resource", ""));
        json(response, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\","
            + "\"expires_in\":3600,\"scope\":\"" + scope + "\"}");
      } else {
        response.sendError(404);
      }
    }

    private static String s256(String verifier) {
      try {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest
            .getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private static void json(HttpServletResponse response, int status, String body)
        throws IOException {
      response.setStatus(status);
      response.setContentType("application/json");
      response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
      jetty.stop();
    }
  }
}
