package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.store.redis.harness.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A store outage in {@code /actuator/health}, as the starter's README documents it: the store's
 * indicator ({@code baton}) turns the whole health DOWN (503), while the liveness group, which
 * holds only the application's own state, stays UP, so an orchestrator does not restart the
 * application for an outage of Redis; readiness, with {@code baton} added, goes DOWN so traffic
 * stops until the store is back.
 */
class StoreOutageHealthTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private RedisServerProcess redis;
  private ConfigurableApplicationContext app;

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void storeDown_healthIs503AndLivenessStaysUpAndReadinessGoesDown() throws Exception {
    redis = RedisServerProcess.startDefault();
    app =
        new SpringApplicationBuilder(ResourceServerApp.class)
            .web(WebApplicationType.SERVLET)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "logging.level.root=warn",
                "logging.level.io.lettuce=off",
                "baton.store=" + redis.uri() + "?sealingKeys=file:" + keyRing(),
                "management.endpoint.health.show-details=always",
                "management.endpoint.health.probes.enabled=true",
                "management.endpoint.health.group.readiness.include=readinessState,baton")
            .run();
    assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);

    redis.close();
    redis = null;
    HttpResponse<String> health = awaitStatus("/actuator/health", 503);

    JsonNode baton = JSON.readTree(health.body()).get("components").get("baton");
    assertThat(baton.get("status").asString()).isEqualTo("DOWN");
    assertThat(baton.get("details").get("store").asString()).isEqualTo("RedisTokenSnapshotStore");
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
  }

  private Path keyRing() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keys = dir.resolve("keys");
    Files.writeString(keys, "k1:" + Base64.getEncoder().encodeToString(key));
    return keys;
  }

  /** Polls until the store's client has noticed the outage (it rejects commands from then on). */
  private HttpResponse<String> awaitStatus(String path, int status) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    HttpResponse<String> response = get(path);
    while (response.statusCode() != status && Instant.now().isBefore(deadline)) {
      Thread.onSpinWait();
      response = get(path);
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response;
  }

  private HttpResponse<String> get(String path) throws Exception {
    String port = app.getEnvironment().getRequiredProperty("local.server.port");
    String token =
        ResourceServerApp.jwt("ops", "monitor", "health", Instant.now().plus(Duration.ofHours(1)));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
