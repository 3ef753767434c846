package dev.baton.examples.reports;

import static dev.baton.examples.reports.ReportsTestSupport.DOWNSTREAM_TOKENS;
import static dev.baton.examples.reports.ReportsTestSupport.JOBS;
import static dev.baton.examples.reports.ReportsTestSupport.send;
import static dev.baton.examples.reports.ReportsTestSupport.token;
import static dev.baton.examples.reports.ReportsTestSupport.uri;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

@SpringBootTest(
    classes = ReportsApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ReportsTestSupport.Beans.class)
class ReportsApplicationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void downstream(DynamicPropertyRegistry registry) {
    ReportsTestSupport.downstreamUrl(registry);
  }

  @AfterEach
  void resetClock() {
    ReportsTestSupport.BATON_CLOCK_OFFSET.set(Duration.ZERO);
  }

  @Test
  void twoCallersInterleaved_eachReportRunsAsItsOwnCallerDownstream() throws Exception {
    String alice = token("alice", "reports-web", "reports:read reports:write");
    String bob = token("bob", "batch-cli", "reports:read");
    String aliceReport = start(alice);
    String bobReport = start(bob);
    JOBS.awaitStarted(aliceReport);
    JOBS.awaitStarted(bobReport);

    JOBS.release(bobReport);
    JOBS.awaitFinished(bobReport);
    JOBS.release(aliceReport);
    JOBS.awaitFinished(aliceReport);

    JsonNode aliceSees = JSON.readTree(get(aliceReport, alice).body());
    assertThat(aliceSees.at("/status").asString()).isEqualTo("done");
    assertThat(aliceSees.at("/ranAs/subject").asString()).isEqualTo("alice");
    assertThat(aliceSees.at("/ranAs/clientId").asString()).isEqualTo("reports-web");
    assertThat(aliceSees.at("/ranAs/scopes").toString()).isEqualTo("[\"reports:read\",\"reports:write\"]");
    assertThat(aliceSees.at("/downstreamSaw/subject").asString()).isEqualTo("alice");
    assertThat(aliceSees.at("/downstreamSaw/clientId").asString()).isEqualTo("reports-web");
    JsonNode bobSees = JSON.readTree(get(bobReport, bob).body());
    assertThat(bobSees.at("/ranAs/subject").asString()).isEqualTo("bob");
    assertThat(bobSees.at("/ranAs/scopes").toString()).isEqualTo("[\"reports:read\"]");
    assertThat(bobSees.at("/downstreamSaw/subject").asString()).isEqualTo("bob");
    assertThat(bobSees.at("/downstreamSaw/clientId").asString()).isEqualTo("batch-cli");
    assertThat(DOWNSTREAM_TOKENS).contains(alice, bob);
  }

  @Test
  void postWithoutToken_is401AndStartsNoJob() throws Exception {
    int startsBefore = JOBS.starts.get();

    HttpResponse<String> response =
        send(HttpRequest.newBuilder(uri(port, "/reports")).POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JOBS.starts.get()).isEqualTo(startsBefore);
  }

  @Test
  void reportOfAnotherCaller_is404LikeAnUnknownId() throws Exception {
    String alice = token("alice", "reports-web", "reports:read");
    String mallory = token("mallory", "reports-web", "reports:read");
    String report = start(alice);
    JOBS.release(report);
    JOBS.awaitFinished(report);

    HttpResponse<String> other = get(report, mallory);
    HttpResponse<String> unknown = get(UUID.randomUUID().toString(), mallory);

    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(other.body()).isEqualTo(unknown.body());
    assertThat(get(report, alice).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenExpiringWhileTheJobWaits_jobSeesNoCallerAndDownstreamGetsNoToken() throws Exception {
    String erin = token("erin", "reports-web", "reports:read");
    String report = start(erin);
    JOBS.awaitStarted(report);

    ReportsTestSupport.BATON_CLOCK_OFFSET.set(Duration.ofHours(2));
    JOBS.release(report);
    JOBS.awaitFinished(report);
    ReportsTestSupport.BATON_CLOCK_OFFSET.set(Duration.ZERO);

    JsonNode seen = JSON.readTree(get(report, erin).body());
    assertThat(seen.at("/status").asString()).isEqualTo("failed: no caller");
    assertThat(seen.at("/ranAs").isNull()).isTrue();
    assertThat(DOWNSTREAM_TOKENS).doesNotContain(erin);
  }

  private String start(String bearer) throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri(port, "/reports"))
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(response.statusCode()).isEqualTo(202);
    return JSON.readTree(response.body()).get("id").asString();
  }

  private HttpResponse<String> get(String report, String bearer) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(port, "/reports/" + report))
            .header("Authorization", "Bearer " + bearer)
            .GET());
  }
}
