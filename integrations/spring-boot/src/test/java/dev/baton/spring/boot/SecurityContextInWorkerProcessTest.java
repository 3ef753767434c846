package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.store.redis.harness.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code @PreAuthorize} in jobs restored by key in another JVM: callers hand work over HTTP to a
 * resource server that captures them into a sealed Redis store (a real {@code redis-server}); a
 * worker process with no resource server restores each job by key and calls a
 * {@code @PreAuthorize("hasAuthority('SCOPE_reports:write')")} service.
 */
class SecurityContextInWorkerProcessTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static RedisServerProcess redis;
  private static ConfigurableApplicationContext api;
  private static String store;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServerProcess.startDefault();
    Path keys = dir.resolve("keys");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.writeString(keys, "k1:" + Base64.getEncoder().encodeToString(key));
    store = redis.uri() + "?sealingKeys=file:" + keys;
    api =
        new SpringApplicationBuilder(ResourceServerApp.class)
            .web(WebApplicationType.SERVLET)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "logging.level.root=warn",
                "baton.store=" + store)
            .run();
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      api.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void preAuthorize_inJobsRestoredByAnotherProcess_decidesOnEachJobsCaller() throws Exception {
    String writer = ResourceServerApp.jwt("alice", "reports-ui", "reports:read reports:write", inAnHour());
    String reader = ResourceServerApp.jwt("bob", "batch-cli", "reports:read", inAnHour());
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) { // interleaved callers
      keys.add(capture(writer));
      keys.add(capture(reader));
    }

    String output = runWorker(String.join(",", keys));

    for (int i = 0; i < keys.size(); i++) {
      assertThat(output).contains("job " + i + ": " + (i % 2 == 0 ? "written" : "denied"));
    }
  }

  private String capture(String token) throws Exception {
    String port = api.getEnvironment().getRequiredProperty("local.server.port");
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/captured"))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return response.body();
  }

  private static String runWorker(String keys) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:off");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SecuredWorkerApp.class.getName());
    command.add("--baton.store=" + store);
    command.add("--worker.keys=" + keys);
    command.add("--logging.level.root=warn");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the worker did not exit: " + output);
    }
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private static Instant inAnHour() {
    return Instant.now().plus(Duration.ofHours(1));
  }
}
