package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.spring.boot.ResourceServerApp.Jobs;
import dev.baton.spring.boot.ResourceServerApp.Seen;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

@SpringBootTest(
    classes = ResourceServerApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.task.execution.pool.core-size=2", "spring.task.execution.pool.max-size=2"})
class BearerCallerAsyncTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger NAMES = new AtomicInteger();

  @LocalServerPort int port;
  @Autowired Jobs jobs;
  @Autowired ThreadPoolTaskExecutor applicationTaskExecutor;

  @AfterEach
  void resetClock() {
    ResourceServerApp.BATON_CLOCK_OFFSET.set(Duration.ZERO);
  }

  @Test
  void asyncJobs_twoCallersInterleaved_eachRunsAsItsOwnCaller() throws Exception {
    String alice = ResourceServerApp.jwt("alice", "reports-ui", "reports:read reports:write", inAnHour());
    String bob = ResourceServerApp.jwt("bob", "batch-cli", "reports:read", inAnHour());
    String aliceJob = name();
    String bobJob = name();

    assertThat(post(aliceJob, alice)).isEqualTo(202);
    assertThat(post(bobJob, bob)).isEqualTo(202);
    assertThat(jobs.started(aliceJob).await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(jobs.started(bobJob).await(30, TimeUnit.SECONDS)).isTrue();
    jobs.gate(bobJob).countDown();
    Seen bobSaw = jobs.result(bobJob).get(30, TimeUnit.SECONDS);
    jobs.gate(aliceJob).countDown();
    Seen aliceSaw = jobs.result(aliceJob).get(30, TimeUnit.SECONDS);

    AccessToken aliceCaller = aliceSaw.caller().orElseThrow();
    assertThat(aliceCaller.subject()).isEqualTo("alice");
    assertThat(aliceCaller.clientId()).isEqualTo("reports-ui");
    assertThat(aliceCaller.scopes()).containsExactly("reports:read", "reports:write");
    assertThat(aliceCaller.token()).isEqualTo(alice);
    AccessToken bobCaller = bobSaw.caller().orElseThrow();
    assertThat(bobCaller.subject()).isEqualTo("bob");
    assertThat(bobCaller.clientId()).isEqualTo("batch-cli");
    assertThat(bobCaller.scopes()).containsExactly("reports:read");
    assertThat(bobCaller.token()).isEqualTo(bob);
  }

  @Test
  void asyncJobs_afterRunning_leaveNoPoolThreadBound() throws Exception {
    String job = name();
    assertThat(post(job, ResourceServerApp.jwt("carol", "app", "a", inAnHour()))).isEqualTo(202);
    jobs.gate(job).countDown();
    assertThat(jobs.result(job).get(30, TimeUnit.SECONDS).caller()).isPresent();

    // Hand probes to the idle workers through the queue: execute() would decorate them, which
    // installs an explicit "no caller" and so hides what the thread itself holds.
    var pool = applicationTaskExecutor.getThreadPoolExecutor();
    int probes = pool.getPoolSize();
    var results = new java.util.concurrent.LinkedBlockingQueue<Boolean>();
    for (int i = 0; i < probes; i++) {
      assertThat(pool.getQueue().offer(() -> results.add(Baton.isBound()))).isTrue();
    }

    for (int i = 0; i < probes; i++) {
      assertThat(results.poll(30, TimeUnit.SECONDS)).isFalse();
    }
  }

  @Test
  void scheduledTask_runsAsTheCallerWhoScheduledIt() throws Exception {
    String job = name();
    String token = ResourceServerApp.jwt("ivan", "scheduler-app", "s", inAnHour());

    int status =
        send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/scheduled/" + job))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(status).isEqualTo(202);
    AccessToken caller = jobs.result(job).get(30, TimeUnit.SECONDS).caller().orElseThrow();
    assertThat(caller.subject()).isEqualTo("ivan");
    assertThat(caller.token()).isEqualTo(token);
  }

  @Test
  void request_withValidTokenNamingNoClient_failsAndStartsNoJob() throws Exception {
    String job = name();

    int status = post(job, ResourceServerApp.jwtWithoutClient("judy", inAnHour()));

    assertThat(status).isEqualTo(500);
    assertThat(jobs.wasStarted(job)).isFalse();
  }

  @Test
  void request_withoutToken_is401AndStartsNoJob() throws Exception {
    String job = name();

    int status = send(HttpRequest.newBuilder(jobUri(job)).POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(status).isEqualTo(401);
    assertThat(jobs.wasStarted(job)).isFalse();
  }

  @Test
  void request_withExpiredToken_is401AndStartsNoJob() throws Exception {
    String job = name();
    String expired = ResourceServerApp.jwt("dave", "app", "a", Instant.now().minus(Duration.ofHours(1)));

    assertThat(post(job, expired)).isEqualTo(401);
    assertThat(jobs.wasStarted(job)).isFalse();
  }

  @Test
  void asyncJob_tokenExpiresWhileWaiting_seesNoCaller() throws Exception {
    String job = name();
    assertThat(post(job, ResourceServerApp.jwt("erin", "app", "a", inAnHour()))).isEqualTo(202);
    assertThat(jobs.started(job).await(30, TimeUnit.SECONDS)).isTrue();

    ResourceServerApp.BATON_CLOCK_OFFSET.set(Duration.ofHours(2));
    jobs.gate(job).countDown();

    assertThat(jobs.result(job).get(30, TimeUnit.SECONDS).caller()).isEmpty();
  }

  @Test
  void requestThread_afterTheRequest_isNotBound() {
    assertThat(Baton.isBound()).isFalse();
  }

  private int post(String job, String bearer) throws Exception {
    return send(
        HttpRequest.newBuilder(jobUri(job))
            .header("Authorization", "Bearer " + bearer)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static int send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private URI jobUri(String job) {
    return URI.create("http://127.0.0.1:" + port + "/jobs/" + job);
  }

  private static String name() {
    return "job-" + NAMES.incrementAndGet();
  }

  private static Instant inAnHour() {
    return Instant.now().plus(Duration.ofHours(1));
  }

}
