package dev.baton.spring.boot;

import dev.baton.Baton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Jobs that rely on Spring Security, imported into {@link ResourceServerApp}: a
 * {@code @PreAuthorize} service, and a {@code RestClient} that relays the current authentication's
 * bearer token downstream (to {@code GET /whoami} of the same application, a real HTTP call).
 */
final class SecuredJobsApp {
  private SecuredJobsApp() {}

  /** What a secured job saw. */
  record Outcome(String write, String relayedAs, List<String> authorities) {}

  @Service
  static class ReportWriter {
    @PreAuthorize("hasAuthority('SCOPE_reports:write')")
    public String write() {
      return "written";
    }
  }

  /** The usual bearer relay: the current authentication's token on the outgoing request. */
  static ClientHttpRequestInterceptor bearerRelay() {
    return (request, body, execution) -> {
      Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
      if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> bearer) {
        request.getHeaders().setBearerAuth(bearer.getToken().getTokenValue());
      }
      return execution.execute(request, body);
    };
  }

  @Service
  static class SecuredJobs {
    final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
    private final ReportWriter writer;
    private final Environment environment;

    SecuredJobs(ReportWriter writer, Environment environment) {
      this.writer = writer;
      this.environment = environment;
    }

    CompletableFuture<Outcome> outcome(String name) {
      return outcomes.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    @Async
    public void run(String name) {
      try {
        String write;
        try {
          write = writer.write();
        } catch (AccessDeniedException e) {
          write = "denied";
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        List<String> authorities =
            authentication == null
                ? List.of()
                : authentication.getAuthorities().stream()
                    .map(GrantedAuthority::getAuthority)
                    .sorted()
                    .toList();
        String port = environment.getRequiredProperty("local.server.port");
        String relayedAs =
            RestClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .requestInterceptor(bearerRelay())
                .build()
                .get()
                .uri("/whoami")
                .retrieve()
                .body(String.class);
        outcome(name).complete(new Outcome(write, String.valueOf(relayedAs), authorities));
      } catch (RuntimeException e) {
        outcome(name).completeExceptionally(e);
      }
    }
  }

  @RestController
  static class SecuredController {
    private final SecuredJobs jobs;
    private final Baton baton;

    SecuredController(SecuredJobs jobs, Baton baton) {
      this.jobs = jobs;
      this.baton = baton;
    }

    /**
     * Hands work to another process: captures the caller into the store and answers the task key
     * (what a queue message or job row would carry).
     */
    @PostMapping("/captured")
    @ResponseStatus(HttpStatus.ACCEPTED)
    String capture() {
      return baton.capture().encoded();
    }

    @PostMapping("/secured/{name}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    List<String> start(@PathVariable String name, Authentication authentication) {
      jobs.run(name);
      // The request's own authorities, to compare with the job's.
      return authentication.getAuthorities().stream()
          .map(GrantedAuthority::getAuthority)
          .sorted()
          .toList();
    }

    @GetMapping("/whoami")
    String whoami(Authentication authentication) {
      return authentication.getName();
    }
  }
}
