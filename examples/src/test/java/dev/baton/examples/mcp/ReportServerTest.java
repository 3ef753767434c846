package dev.baton.examples.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.Baton;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.test.TestClock;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo server end to end, with the MCP SDK's own client over Streamable HTTP (memory mode). */
class ReportServerTest {
  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
      + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
      + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

  private final TestClock clock = TestClock.startingAt(Instant.now());
  private TokenSnapshotStore store;
  private DemoIssuer issuer;
  private LocalJobQueue queue;
  private ReportServer server;

  @BeforeEach
  void start() throws Exception {
    store = TokenSnapshotStores.open(URI.create("memory:local"));
    issuer = DemoIssuer.create(clock);
    Baton baton = Baton.builder().store(store).clock(clock).lifespan(Map.of("app", "test")).build();
    queue = new LocalJobQueue(2, true);
    server = new ReportServer(baton, issuer, new MemoryJobBoard(), queue, false);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    store.close();
  }

  private DemoClient client(String subject) {
    return new DemoClient(server.baseUri(), issuer.issue(subject, "web-app", Duration.ofHours(1)));
  }

  @Test
  void startReport_jobRunsAsCaller_andReadsLifespan() {
    try (DemoClient alice = client("alice")) {
      String job = alice.startReport("q3").orElseThrow();
      queue.release();

      Map<String, Object> status = JobAwait.finished(alice, job);

      assertThat(status).containsEntry("status", "done").containsEntry("ran_as", "alice")
          .containsEntry("app", "test");
      assertThat(server.downstreamSightings()).containsEntry(job, "alice");
    }
  }

  @Test
  void startReport_twoClientsInterleaved_eachJobRunsAsItsOwnCaller() {
    try (DemoClient alice = client("alice"); DemoClient bob = client("bob")) {
      List<String> aliceJobs = new ArrayList<>();
      List<String> bobJobs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        aliceJobs.add(alice.startReport("a" + i).orElseThrow());
        bobJobs.add(bob.startReport("b" + i).orElseThrow());
      }
      queue.release();

      aliceJobs.forEach(id -> assertThat(JobAwait.finished(alice, id)).containsEntry("ran_as", "alice"));
      bobJobs.forEach(id -> assertThat(JobAwait.finished(bob, id)).containsEntry("ran_as", "bob"));
      aliceJobs.forEach(id -> assertThat(server.downstreamSightings()).containsEntry(id, "alice"));
      bobJobs.forEach(id -> assertThat(server.downstreamSightings()).containsEntry(id, "bob"));
    }
  }

  @Test
  void reportStatus_ofAnotherCallersJob_isMcpError() {
    try (DemoClient alice = client("alice"); DemoClient bob = client("bob")) {
      String job = alice.startReport("private").orElseThrow();

      assertThatThrownBy(() -> bob.reportStatus(job))
          .isInstanceOf(McpError.class).hasMessageContaining("no such job for this caller");
      assertThat(alice.reportStatus(job)).containsEntry("status", "queued");
    }
  }

  @Test
  void reportStatus_ofUnknownJob_isMcpError() {
    try (DemoClient alice = client("alice")) {
      assertThatThrownBy(() -> alice.reportStatus("no-such-job"))
          .isInstanceOf(McpError.class).hasMessageContaining("no such job for this caller");
    }
  }

  @Test
  void startReport_whenTokenExpiresInQueue_failsClosedAndNeverCallsDownstream() {
    try (DemoClient carol = new DemoClient(server.baseUri(),
        issuer.issue("carol", "web-app", Duration.ofMinutes(1)))) {
      String job = carol.startReport("late").orElseThrow();
      clock.advance(Duration.ofMinutes(2));
      carol.useToken(issuer.issue("carol", "web-app", Duration.ofHours(1)));
      queue.release();

      Map<String, Object> status = JobAwait.finished(carol, job);

      assertThat(status).containsEntry("status", "failed")
          .containsEntry("reason", "RestoreFailedException");
      assertThat(server.downstreamSightings()).doesNotContainKey(job);
    }
  }

  @Test
  void startReport_oversizedTopic_isToolError_andServerKeepsServing() {
    try (DemoClient alice = client("alice")) {
      String oversized = "x".repeat(ReportServer.MAX_TOPIC_LENGTH + 1);

      CallToolResult result = alice.call("start_report", Map.of("topic", oversized));

      assertThat(result.isError()).isTrue();
      assertThat(result.content().toString()).contains("must be at most 200 characters");
      assertThat(alice.startReport("fine").orElseThrow()).isNotBlank();
    }
  }

  @Test
  void toolCall_malformedArguments_areToolErrors_andServerKeepsServing() {
    try (DemoClient alice = client("alice")) {
      List<CallToolResult> results = List.of(
          alice.call("start_report", Map.of("topic", 42)),
          alice.call("start_report", Map.of()),
          alice.call("start_report", Map.of("topic", "t", "extra", true)),
          alice.call("report_status", Map.of("job_id", List.of("x"))));

      assertThat(results).allSatisfy(result -> {
        assertThat(result.isError()).isTrue();
        assertThat(result.content().toString()).contains("validation failed");
      });
      assertThat(alice.startReport("fine").orElseThrow()).isNotBlank();
    }
  }

  @Test
  void mcpEndpoint_requestLargerThanLimit_isRefused_andServerKeepsServing() {
    try (DemoClient alice = client("alice")) {
      String huge = "x".repeat(ReportServer.MAX_REQUEST_BYTES + 1);

      assertThatThrownBy(() -> alice.startReport(huge).orElseThrow()).isInstanceOf(RuntimeException.class);
    }
    try (DemoClient alice = client("alice")) {
      assertThat(alice.startReport("fine").orElseThrow()).isNotBlank();
    }
  }

  @Test
  void mcpEndpoint_withoutToken_is401WithBearerChallenge() throws Exception {
    HttpResponse<String> response = post(null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  @Test
  void mcpEndpoint_withGarbageToken_is401InvalidToken() throws Exception {
    assertInvalidToken(post("not-a-jwt"));
  }

  @Test
  void mcpEndpoint_withExpiredToken_is401InvalidToken() throws Exception {
    String token = issuer.issue("alice", "web-app", Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(2));

    assertInvalidToken(post(token));
  }

  @Test
  void mcpEndpoint_withTamperedToken_is401InvalidToken() throws Exception {
    String[] parts = issuer.issue("alice", "web-app", Duration.ofHours(1)).split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"alice\"", "\"admin\"");
    String tampered = parts[0] + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(
            payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

    assertInvalidToken(post(tampered));
  }

  @Test
  void mcpEndpoint_withTokenOfAnotherIssuer_is401InvalidToken() throws Exception {
    String foreign = DemoIssuer.create(clock).issue("alice", "web-app", Duration.ofHours(1));

    assertInvalidToken(post(foreign));
  }

  @Test
  void scenario_everyJobRunsAsItsOwnCallerOrNone_wrongIdentitiesZero() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    List<Scenario.Row> rows = new Scenario(server.baseUri(), issuer, clock, 3,
        Duration.ofMinutes(2)).play(Scenario.clients(false),
            instant -> clock.advance(Duration.between(clock.instant(), instant)),
            queue::release, out);
    Scenario.print(rows, out);

    assertThat(rows).extracting(Scenario.Row::client, Scenario.Row::ranAsItself,
            Scenario.Row::ranAsSomeoneElse, Scenario.Row::unfinished)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alice", 3, 0, 0),
            org.assertj.core.groups.Tuple.tuple("bob", 3, 0, 0),
            org.assertj.core.groups.Tuple.tuple("carol (token expires in the queue)", 0, 0, 0));
    assertThat(rows.get(2).ranWithNoCaller() + rows.get(2).failed()).isEqualTo(3);
    assertThat(bytes.toString(StandardCharsets.UTF_8).strip()).endsWith("wrong identities: 0");
  }

  @Test
  void startReport_afterTheTokenExpired_isRefused_andARefreshedTokenCarriesOn() {
    try (DemoClient carol = new DemoClient(server.baseUri(),
        issuer.issue("carol", "web-app", Duration.ofMinutes(1)))) {
      String accepted = carol.startReport("before").orElseThrow();
      clock.advance(Duration.ofMinutes(2));

      assertThat(carol.startReport("after")).isEmpty();

      carol.useToken(issuer.issue("carol", "web-app", Duration.ofHours(1)));
      assertThat(carol.reportStatus(accepted)).containsEntry("status", "queued");
      assertThat(carol.startReport("refreshed")).isPresent();
    }
  }

  @Test
  void scenario_clientWhoseTokenExpiresWhileSubmitting_isCountedRefused_neverACrash()
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    List<Scenario.Client> clients = List.of(
        new Scenario.Client("alice", "alice", "web-app", Duration.ofHours(1)),
        new Scenario.Client("dave (token already expired)", "dave", "web-app", Duration.ZERO));

    List<Scenario.Row> rows = new Scenario(server.baseUri(), issuer, clock, 3,
        Duration.ofMinutes(2)).play(clients,
            instant -> clock.advance(Duration.between(clock.instant(), instant)),
            queue::release, out);
    Scenario.print(rows, out);

    assertThat(rows).extracting(Scenario.Row::client, Scenario.Row::submitted,
            Scenario.Row::refused, Scenario.Row::ranAsItself, Scenario.Row::unfinished)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alice", 3, 0, 3, 0),
            org.assertj.core.groups.Tuple.tuple("dave (token already expired)", 3, 3, 0, 0));
    assertThat(bytes.toString(StandardCharsets.UTF_8).strip()).endsWith("wrong identities: 0");
  }

  @Test
  void startReport_eachJobCallsDownstreamOnce() {
    try (DemoClient alice = client("alice"); DemoClient bob = client("bob")) {
      List<String> jobs = List.of(alice.startReport("a").orElseThrow(),
          bob.startReport("b").orElseThrow(), alice.startReport("c").orElseThrow());
      queue.release();

      JobAwait.finished(alice, jobs.get(0));
      JobAwait.finished(bob, jobs.get(1));
      JobAwait.finished(alice, jobs.get(2));

      jobs.forEach(job -> assertThat(server.downstreamCalls(job)).as(job).isEqualTo(1));
    }
  }

  private static void assertInvalidToken(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer error=\"invalid_token\"");
  }

  private HttpResponse<String> post(String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.mcpUri())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
