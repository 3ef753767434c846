package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.spring.boot.SecuredJobsApp.Outcome;
import dev.baton.spring.boot.SecuredJobsApp.SecuredJobs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import tools.jackson.databind.ObjectMapper;

/**
 * Spring Security inside {@code @Async} jobs: {@code @PreAuthorize} decides on the job's caller,
 * with the authorities the request had, and a bearer-relaying {@code RestClient} calls downstream
 * as the caller.
 */
@SpringBootTest(
    classes = ResourceServerApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecurityContextInJobsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;
  @Autowired SecuredJobs jobs;
  @Autowired SecurityContextHolderStrategy strategy;

  @Test
  void preAuthorize_inAsyncJob_passesForACallerWithTheScope() throws Exception {
    String alice = ResourceServerApp.jwt("alice", "reports-ui", "reports:read reports:write", inAnHour());

    List<String> requestAuthorities = start("alice-job", alice);
    Outcome outcome = jobs.outcome("alice-job").get(30, TimeUnit.SECONDS);

    assertThat(outcome.write()).isEqualTo("written");
    assertThat(outcome.authorities()).isEqualTo(requestAuthorities).contains("SCOPE_reports:write");
  }

  @Test
  void preAuthorize_inAsyncJob_isDeniedForACallerWithoutTheScope() throws Exception {
    String bob = ResourceServerApp.jwt("bob", "batch-cli", "reports:read", inAnHour());

    List<String> requestAuthorities = start("bob-job", bob);
    Outcome outcome = jobs.outcome("bob-job").get(30, TimeUnit.SECONDS);

    assertThat(outcome.write()).isEqualTo("denied");
    assertThat(outcome.authorities()).isEqualTo(requestAuthorities);
  }

  @Test
  void bearerRelay_inAsyncJob_callsDownstreamAsTheCaller() throws Exception {
    String carol = ResourceServerApp.jwt("carol", "reports-ui", "reports:read", inAnHour());
    String dave = ResourceServerApp.jwt("dave", "reports-ui", "reports:read", inAnHour());

    start("carol-relay", carol);
    start("dave-relay", dave);

    assertThat(jobs.outcome("carol-relay").get(30, TimeUnit.SECONDS).relayedAs()).isEqualTo("carol");
    assertThat(jobs.outcome("dave-relay").get(30, TimeUnit.SECONDS).relayedAs()).isEqualTo("dave");
  }

  @Test
  void strategy_isBatonsInTheContextAndInSecurityContextHolder() {
    assertThat(strategy).isInstanceOf(BatonSecurityContextHolderStrategy.class);
    assertThat(SecurityContextHolder.getContextHolderStrategy()).isSameAs(strategy);
  }

  private List<String> start(String name, String token) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/secured/" + name))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return List.of(JSON.readValue(response.body(), String[].class));
  }

  private static Instant inAnHour() {
    return Instant.now().plus(Duration.ofHours(1));
  }
}
