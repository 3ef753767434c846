package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.spring.boot.ResourceServerApp.Jobs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The rule for the auto-configured {@code TaskScheduler}, whatever its threads: a task handed to it
 * from an authenticated request runs as that caller, every run, whichever way it was scheduled.
 * Reused by subclassing for platform and virtual threads.
 */
abstract class SchedulerCallerContract {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger NAMES = new AtomicInteger();

  @LocalServerPort int port;
  @Autowired Jobs jobs;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "instant",
        "execute",
        "fixed-rate",
        "fixed-rate-from",
        "fixed-delay",
        "fixed-delay-from",
        "cron",
        "periodic-trigger"
      })
  void schedule_twoCallersInterleaved_everyRunIsItsCaller(String kind) throws Exception {
    String alice = ResourceServerApp.jwt("alice", "reports-ui", "a", inAnHour());
    String bob = ResourceServerApp.jwt("bob", "batch-cli", "b", inAnHour());
    String aliceTask = kind + "-" + NAMES.incrementAndGet();
    String bobTask = kind + "-" + NAMES.incrementAndGet();

    assertThat(post(kind, aliceTask, alice)).isEqualTo(202);
    assertThat(post(kind, bobTask, bob)).isEqualTo(202);

    int runs = kind.equals("instant") || kind.equals("execute") ? 1 : 2;
    for (int run = 1; run <= runs; run++) {
      assertRanAs(aliceTask + "#" + run, alice, "alice");
      assertRanAs(bobTask + "#" + run, bob, "bob");
    }
  }

  private void assertRanAs(String run, String token, String subject) throws Exception {
    AccessToken caller = jobs.result(run).get(30, TimeUnit.SECONDS).caller().orElseThrow();
    assertThat(caller.subject()).isEqualTo(subject);
    assertThat(caller.token()).isEqualTo(token);
  }

  private int post(String kind, String name, String token) throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/scheduled/" + kind + "/" + name))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static Instant inAnHour() {
    return Instant.now().plus(Duration.ofHours(1));
  }
}
