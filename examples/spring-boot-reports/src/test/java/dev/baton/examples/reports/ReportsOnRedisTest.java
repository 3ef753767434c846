package dev.baton.examples.reports;

import static dev.baton.examples.reports.ReportsTestSupport.JOBS;
import static dev.baton.examples.reports.ReportsTestSupport.send;
import static dev.baton.examples.reports.ReportsTestSupport.token;
import static dev.baton.examples.reports.ReportsTestSupport.uri;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.store.redis.harness.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The same application with {@code baton.store=redis://…?sealingKeys=file:…} on a real redis-server. */
@SpringBootTest(
    classes = ReportsApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ReportsTestSupport.Beans.class)
class ReportsOnRedisTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RedisServerProcess REDIS = RedisServerProcess.startDefault();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ReportsTestSupport.downstreamUrl(registry);
    registry.add("baton.store", () -> REDIS.uri() + "?sealingKeys=file:" + keyRing());
  }

  @AfterAll
  static void stopRedis() {
    REDIS.close();
  }

  @Test
  void sealedRedisStore_isHealthyAndSealed() throws Exception {
    HttpResponse<String> health =
        send(HttpRequest.newBuilder(uri(port, "/actuator/health/baton")).GET());

    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode baton = JSON.readTree(health.body());
    assertThat(baton.at("/status").asString()).isEqualTo("UP");
    assertThat(baton.at("/details/store").asString()).isEqualTo("RedisTokenSnapshotStore");
    assertThat(baton.at("/details/sealed").asBoolean()).isTrue();
  }

  @Test
  void report_onRedis_runsAsItsCaller() throws Exception {
    String alice = token("alice", "reports-web", "reports:read");
    HttpResponse<String> started =
        send(
            HttpRequest.newBuilder(uri(port, "/reports"))
                .header("Authorization", "Bearer " + alice)
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(started.statusCode()).isEqualTo(202);
    String report = JSON.readTree(started.body()).get("id").asString();
    JOBS.release(report);
    JOBS.awaitFinished(report);

    JsonNode seen =
        JSON.readTree(
            send(
                    HttpRequest.newBuilder(uri(port, "/reports/" + report))
                        .header("Authorization", "Bearer " + alice)
                        .GET())
                .body());
    assertThat(seen.at("/status").asString()).isEqualTo("done");
    assertThat(seen.at("/downstreamSaw/subject").asString()).isEqualTo("alice");
  }

  private static Path keyRing() {
    try {
      Path file = Files.createTempFile("baton-keys", ".txt");
      file.toFile().deleteOnExit();
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(file, "k1:" + Base64.getEncoder().encodeToString(key));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
