package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.jobrunr.BatonJobFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.server.threadpool.PlatformThreadPoolJobRunrExecutor;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.storage.StorageProvider;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * JobRunr wired the way the starter's README tells a Boot user to (JobRunr's own Spring Boot 4
 * starter is not available): the auto-configured {@link BatonJobFilter} handed to
 * {@code withJobFilter}, and the auto-configured {@link JobActivator} to {@code useJobActivator}, so
 * jobs run on Spring's beans (and their {@code @PreAuthorize} proxies). Storage is JobRunr's {@link InMemoryStorageProvider}
 * (one JVM), polled every 200 ms; the worker pool records, after every job, whether its thread
 * still holds a Spring Security authentication or a Baton binding.
 *
 * <p>{@code POST /jobrunr/{name}} enqueues {@link Reports#write}, which calls the
 * {@code @PreAuthorize("hasAuthority('SCOPE_reports:write')")} {@link SecuredJobsApp.ReportWriter}.
 */
@Configuration
@Import({JobRunrJobsApp.Reports.class, JobRunrJobsApp.ReportsController.class})
public class JobRunrJobsApp {
  /** What each pool thread held after each job: {@code "<thread>: <authentication name>"} or "empty". */
  static final BlockingQueue<String> AFTER_JOB = new LinkedBlockingQueue<>();

  @Bean
  StorageProvider storageProvider() {
    return new InMemoryStorageProvider();
  }

  @Bean
  JobScheduler jobScheduler(StorageProvider storageProvider, JobActivator jobActivator,
      BatonJobFilter batonJobFilter) {
    return JobRunr.configure()
        .useStorageProvider(storageProvider)
        .useJobActivator(jobActivator)
        .withJobFilter(batonJobFilter)
        .useBackgroundJobServer(BackgroundJobServerConfiguration
            .usingStandardBackgroundJobServerConfiguration()
            .andPollInterval(Duration.ofMillis(200))
            .andBackgroundJobServerWorkerPolicy(new DefaultBackgroundJobServerWorkerPolicy(4,
                threads -> new PlatformThreadPoolJobRunrExecutor(threads, threads, "jobrunr-test") {
                  @Override
                  protected void afterExecute(Runnable r, @Nullable Throwable t) {
                    super.afterExecute(r, t);
                    Authentication held = SecurityContextHolder.getContext().getAuthentication();
                    AFTER_JOB.add(Thread.currentThread().getName() + ": "
                        + (held == null ? "empty" : held.getName())
                        + (Baton.isBound() ? " (Baton bound)" : ""));
                  }
                })))
        .initialize()
        .getJobScheduler();
  }

  /** Stops JobRunr's server before the beans it uses (Baton's store among them) are closed. */
  @Bean
  DisposableBean jobRunrShutdown(JobScheduler jobScheduler) {
    return JobRunr::destroy;
  }

  /** What a JobRunr job saw: the write's result, and the caller Spring Security and Baton named. */
  record Outcome(String write, String authentication, String batonCaller, List<String> authorities) {}

  /** The job class: a Spring bean, activated by JobRunr from the application context. */
  public static class Reports {
    final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
    private final SecuredJobsApp.ReportWriter writer;

    Reports(SecuredJobsApp.ReportWriter writer) {
      this.writer = writer;
    }

    CompletableFuture<Outcome> outcome(String name) {
      return outcomes.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    /**
     * Writes the report; a caller without the scope is denied, which fails the job (no retries,
     * so it ends FAILED at once).
     */
    @Job(retries = 0)
    public void write(String name) {
      Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
      String caller = Baton.currentToken().map(token -> String.valueOf(token.subject()))
          .orElse("none");
      List<String> authorities = authentication == null ? List.of()
          : authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted()
              .toList();
      boolean setsContext = name.startsWith("sets-context");
      if (setsContext) {
        // A job that puts an authentication with the scope on its own thread: the job still acts
        // as its caller. (It clears it again, as Spring wants: the thread's own context is the
        // thread's, and Baton does not clean what a job writes there.)
        SecurityContextHolder.setContext(new SecurityContextImpl(
            new TestingAuthenticationToken("mallory", "n/a", "SCOPE_reports:write")));
      }
      try {
        Authentication afterSet = SecurityContextHolder.getContext().getAuthentication();
        String whoNow = afterSet == null ? "none" : afterSet.getName();
        try {
          String written = writer.write();
          outcome(name).complete(new Outcome(written, whoNow, caller, authorities));
        } catch (AccessDeniedException e) {
          outcome(name).complete(new Outcome("denied", whoNow, caller, authorities));
          throw e;
        }
      } finally {
        if (setsContext) {
          SecurityContextHolder.clearContext();
        }
      }
    }
  }

  @RestController
  static class ReportsController {
    private final JobScheduler jobScheduler;
    private final Reports reports;

    ReportsController(JobScheduler jobScheduler, Reports reports) {
      this.jobScheduler = jobScheduler;
      this.reports = reports;
    }

    /** Enqueues the report job on the request's thread (bound to the caller); answers its id. */
    @PostMapping("/jobrunr/{name}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    String enqueue(@PathVariable String name) {
      return jobScheduler.enqueue(() -> reports.write(name)).toString();
    }
  }
}
