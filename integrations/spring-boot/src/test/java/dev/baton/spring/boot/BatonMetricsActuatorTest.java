package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Baton's meters through Spring Boot's actuator, read over real HTTP from the metrics endpoint. */
@SpringBootTest(
    classes = ResourceServerApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "management.endpoints.web.exposure.include=metrics")
class BatonMetricsActuatorTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;
  @Autowired ResourceServerApp.Jobs jobs;

  @Test
  void queuedJob_isCountedInBatonEventsByType() throws Exception {
    String token = token();
    double capturedBefore = count(token, "baton.events", "type:captured");
    double restoredBefore = count(token, "baton.events", "type:restored");
    double deletedBefore = count(token, "baton.events", "type:deleted");

    runQueuedJob("metrics-events", token);

    assertThat(count(token, "baton.events", "type:captured")).isEqualTo(capturedBefore + 1);
    assertThat(count(token, "baton.events", "type:restored")).isEqualTo(restoredBefore + 1);
    assertThat(count(token, "baton.events", "type:deleted")).isEqualTo(deletedBefore + 1);
  }

  @Test
  void queuedJob_timesEachStoreOperationWithItsOutcomeAndStore() throws Exception {
    String token = token();
    double savesBefore = count(token, "baton.store.operation", "operation:save", "outcome:success");
    double loadsBefore = count(token, "baton.store.operation", "operation:load", "outcome:found");
    double deletesBefore = count(token, "baton.store.operation", "operation:delete", "outcome:found");

    runQueuedJob("metrics-store", token);

    assertThat(count(token, "baton.store.operation", "operation:save", "outcome:success"))
        .isEqualTo(savesBefore + 1);
    assertThat(count(token, "baton.store.operation", "operation:load", "outcome:found"))
        .isEqualTo(loadsBefore + 1);
    assertThat(count(token, "baton.store.operation", "operation:delete", "outcome:found"))
        .isEqualTo(deletesBefore + 1);
    JsonNode timer = metric(token, "baton.store.operation");
    assertThat(tagValues(timer, "store")).contains("MemoryTokenSnapshotStore");
  }

  @Test
  void batonEvents_areRegisteredBeforeTheFirstEvent() throws Exception {
    JsonNode events = metric(token(), "baton.events");

    assertThat(tagValues(events, "type")).contains("missing", "captured_anonymous", "restore_failed");
  }

  private void runQueuedJob(String job, String token) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/queued/" + job))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    assertThat(HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(202);
    assertThat(jobs.result(job).get(30, TimeUnit.SECONDS).caller()).isPresent();
  }

  /** The meter's count; zero while it does not exist (timers are registered on first use). */
  private double count(String token, String name, String... tags) throws Exception {
    HttpResponse<String> response = get(token, name, tags);
    if (response.statusCode() == 404) {
      return 0;
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode metric = JSON.readTree(response.body());
    for (JsonNode measurement : metric.get("measurements")) {
      if (measurement.get("statistic").asString().equals("COUNT")) {
        return measurement.get("value").asDouble();
      }
    }
    throw new AssertionError("no COUNT for " + name + " in " + metric);
  }

  private JsonNode metric(String token, String name, String... tags) throws Exception {
    HttpResponse<String> response = get(token, name, tags);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> get(String token, String name, String... tags) throws Exception {
    var uri = new StringBuilder("http://127.0.0.1:" + port + "/actuator/metrics/" + name);
    for (int i = 0; i < tags.length; i++) {
      uri.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
    }
    var request =
        HttpRequest.newBuilder(URI.create(uri.toString()))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> tagValues(JsonNode metric, String tag) {
    for (JsonNode available : metric.get("availableTags")) {
      if (available.get("tag").asString().equals(tag)) {
        var values = new ArrayList<String>();
        available.get("values").forEach(value -> values.add(value.asString()));
        return values;
      }
    }
    return List.of();
  }

  private static String token() {
    return ResourceServerApp.jwt(
        "mallory-metrics", "metrics-app", "metrics:read", Instant.now().plus(Duration.ofHours(1)));
  }
}
