package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.jobrunr.BatonJobFilter;
import dev.baton.spring.boot.JobRunrJobsApp.Outcome;
import dev.baton.spring.boot.JobRunrJobsApp.Reports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Spring Security inside JobRunr jobs, over real HTTP: a request handler enqueues a job on JobRunr
 * (wired with the starter's {@link BatonJobFilter} bean, as the README shows); the job's
 * {@code @PreAuthorize("hasAuthority('SCOPE_reports:write')")} service decides on the job's caller,
 * with the authorities the request had; the worker thread holds nothing afterwards.
 */
@DirtiesContext // stops JobRunr's server with the context, after this class
@SpringBootTest(
    classes = {ResourceServerApp.class, JobRunrJobsApp.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "logging.level.org.jobrunr=warn",
      // The denied jobs fail on purpose: JobRunr's ERROR line for each, with its stack, is noise.
      "logging.level.org.jobrunr.server.BackgroundJobPerformer=off",
      // A capture on this shared machine can cross JobRunr's 10 ms "slow filter" warning.
      "logging.level.org.jobrunr.jobs.filters=error"
    })
class SecurityContextInJobRunrJobsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofMinutes(2);

  @LocalServerPort int port;
  @Autowired Reports reports;
  @Autowired StorageProvider storage;
  @Autowired BatonJobFilter filter;
  @Autowired Baton baton;

  @Test
  void batonJobFilter_isTheAutoConfiguredOne_overTheApplicationsBaton() {
    assertThat(filter.baton()).isSameAs(baton);
  }

  @Test
  void preAuthorize_inJobRunrJob_passesForACallerWithTheScope() throws Exception {
    String alice = ResourceServerApp.jwt("alice", "reports-ui", "reports:read reports:write",
        inAnHour());

    UUID id = enqueue("jr-alice", alice);
    Outcome outcome = reports.outcome("jr-alice").get(2, TimeUnit.MINUTES);

    assertThat(outcome).isEqualTo(new Outcome("written", "alice", "alice",
        List.of("FACTOR_BEARER", "SCOPE_reports:read", "SCOPE_reports:write")));
    assertThat(await(id, StateName.SUCCEEDED, StateName.FAILED).getState())
        .isEqualTo(StateName.SUCCEEDED);
  }

  @Test
  void preAuthorize_inJobRunrJob_isDeniedForACallerWithoutTheScope_andTheJobFails()
      throws Exception {
    String bob = ResourceServerApp.jwt("bob", "batch-cli", "reports:read", inAnHour());

    UUID id = enqueue("jr-bob", bob);
    Outcome outcome = reports.outcome("jr-bob").get(2, TimeUnit.MINUTES);

    assertThat(outcome.write()).isEqualTo("denied");
    assertThat(outcome.authentication()).isEqualTo("bob");
    assertThat(outcome.authorities()).doesNotContain("SCOPE_reports:write");
    assertFailedWithAccessDenied(await(id, StateName.SUCCEEDED, StateName.FAILED));
  }

  @Test
  void preAuthorize_inJobRunrJobs_twoCallersInterleaved_eachJobDecidesOnItsOwnCaller()
      throws Exception {
    String carol = ResourceServerApp.jwt("carol", "reports-ui", "reports:write", inAnHour());
    String dave = ResourceServerApp.jwt("dave", "batch-cli", "reports:read", inAnHour());
    List<UUID> carolJobs = new ArrayList<>();
    List<UUID> daveJobs = new ArrayList<>();

    for (int i = 0; i < 8; i++) {
      carolJobs.add(enqueue("jr-carol-" + i, carol));
      daveJobs.add(enqueue("jr-dave-" + i, dave));
    }

    for (int i = 0; i < 8; i++) {
      assertThat(reports.outcome("jr-carol-" + i).get(2, TimeUnit.MINUTES))
          .isEqualTo(new Outcome("written", "carol", "carol",
              List.of("FACTOR_BEARER", "SCOPE_reports:write")));
      Outcome daves = reports.outcome("jr-dave-" + i).get(2, TimeUnit.MINUTES);
      assertThat(daves.write()).isEqualTo("denied");
      assertThat(daves.authentication()).isEqualTo("dave");
      assertThat(daves.batonCaller()).isEqualTo("dave");
      assertThat(await(carolJobs.get(i), StateName.SUCCEEDED, StateName.FAILED).getState())
          .isEqualTo(StateName.SUCCEEDED);
      assertFailedWithAccessDenied(await(daveJobs.get(i), StateName.SUCCEEDED, StateName.FAILED));
    }
  }

  @Test
  void workerThread_afterJobRunrJob_holdsNoAuthentication() throws Exception {
    String erin = ResourceServerApp.jwt("erin", "reports-ui", "reports:write", inAnHour());
    JobRunrJobsApp.AFTER_JOB.clear();

    UUID id = enqueue("jr-erin", erin);
    assertThat(reports.outcome("jr-erin").get(2, TimeUnit.MINUTES).authentication())
        .isEqualTo("erin");
    await(id, StateName.SUCCEEDED, StateName.FAILED);

    // The pool thread reports after the job's performer returns, on that thread.
    String after = JobRunrJobsApp.AFTER_JOB.poll(2, TimeUnit.MINUTES);
    assertThat(after).isNotNull().endsWith(": empty");
    assertThat(JobRunrJobsApp.AFTER_JOB).allMatch(seen -> seen.endsWith(": empty"));
  }

  @Test
  void preAuthorize_inJobRunrJob_decidesOnTheCaller_evenAfterTheJobSetsAContextOfItsOwn()
      throws Exception {
    String frank = ResourceServerApp.jwt("frank", "reports-ui", "reports:read", inAnHour());

    UUID id = enqueue("sets-context-frank", frank);
    Outcome outcome = reports.outcome("sets-context-frank").get(2, TimeUnit.MINUTES);

    // The job set an authentication holding SCOPE_reports:write on its thread; it acts as frank.
    assertThat(outcome.write()).isEqualTo("denied");
    assertThat(outcome.authentication()).isEqualTo("frank");
    assertThat(outcome.batonCaller()).isEqualTo("frank");
    assertFailedWithAccessDenied(await(id, StateName.SUCCEEDED, StateName.FAILED));
  }

  private static void assertFailedWithAccessDenied(Job job) throws ClassNotFoundException {
    assertThat(job.getState()).isEqualTo(StateName.FAILED);
    FailedState failed = job.getLastJobStateOfType(FailedState.class).orElseThrow();
    // Method security throws AuthorizationDeniedException, an AccessDeniedException.
    assertThat(Class.forName(failed.getExceptionType())).isAssignableTo(AccessDeniedException.class);
  }

  private UUID enqueue(String name, String token) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobrunr/" + name))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return UUID.fromString(response.body());
  }

  /** Waits until the job is in one of {@code states}; fails after two minutes. */
  private Job await(UUID id, StateName... states) throws InterruptedException {
    Set<StateName> wanted = Set.of(states);
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      Job job = storage.getJobById(id);
      if (wanted.contains(job.getState())) {
        return job;
      }
      assertThat(Instant.now()).as("job %s still %s, waiting for %s", id, job.getState(), wanted)
          .isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private static Instant inAnHour() {
    return Instant.now().plus(Duration.ofHours(1));
  }
}
