package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.spring.boot.ResourceServerApp.Jobs;
import dev.baton.spring.boot.ResourceServerApp.Seen;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code spring.threads.virtual.enabled=true}: Boot's SimpleAsyncTaskExecutor on virtual threads. */
@EnabledForJreRange(min = JRE.JAVA_21)
@SpringBootTest(
    classes = ResourceServerApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.threads.virtual.enabled=true")
class VirtualThreadCallerAsyncTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired Jobs jobs;

  @Test
  void asyncJob_onVirtualThread_runsAsItsCaller() throws Exception {
    String token =
        ResourceServerApp.jwt("grace", "vt-app", "a b", Instant.now().plus(Duration.ofHours(1)));
    String job = "vt-job-1";

    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs/" + job))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    assertThat(HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(202);
    jobs.gate(job).countDown();

    Seen seen = jobs.result(job).get(30, TimeUnit.SECONDS);
    assertThat(seen.virtual()).isTrue();
    AccessToken caller = seen.caller().orElseThrow();
    assertThat(caller.subject()).isEqualTo("grace");
    assertThat(caller.clientId()).isEqualTo("vt-app");
    assertThat(caller.token()).isEqualTo(token);
  }
}
