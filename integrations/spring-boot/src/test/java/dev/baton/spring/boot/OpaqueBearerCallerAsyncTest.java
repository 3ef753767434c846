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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(
    classes = OpaqueResourceServerApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpaqueBearerCallerAsyncTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired Jobs jobs;

  @Test
  void asyncJob_introspectedOpaqueToken_runsAsItsCaller() throws Exception {
    String token = "opaque-" + UUID.randomUUID();
    OpaqueResourceServerApp.issue(
        token, "frank", "ledger-app", "ledger:read ledger:write", Instant.now().plus(Duration.ofHours(1)));
    String job = "opaque-job-1";

    assertThat(post(job, token)).isEqualTo(202);
    jobs.gate(job).countDown();

    AccessToken caller = jobs.result(job).get(30, TimeUnit.SECONDS).caller().orElseThrow();
    assertThat(caller.token()).isEqualTo(token);
    assertThat(caller.subject()).isEqualTo("frank");
    assertThat(caller.clientId()).isEqualTo("ledger-app");
    assertThat(caller.scopes()).containsExactly("ledger:read", "ledger:write");
  }

  @Test
  void request_withInactiveOpaqueToken_is401AndStartsNoJob() throws Exception {
    String job = "opaque-job-2";

    assertThat(post(job, "never-issued-" + UUID.randomUUID())).isEqualTo(401);
    assertThat(jobs.wasStarted(job)).isFalse();
  }

  private int post(String job, String bearer) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs/" + job))
            .header("Authorization", "Bearer " + bearer)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
