package dev.baton.examples.reports;

import dev.baton.AccessToken;
import dev.baton.Baton;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /reports} and {@code GET /reports/{id}}. Every request here is bearer-authenticated
 * (see {@link SecurityConfiguration}), so the starter has bound its caller.
 */
@RestController
public class ReportController {
  private final Reports reports;
  private final ReportJobs jobs;

  ReportController(Reports reports, ReportJobs jobs) {
    this.reports = reports;
    this.jobs = jobs;
  }

  /**
   * Starts a report job for the caller and answers at once.
   *
   * @return {@code 202} with {@code {"id": …}}
   */
  @PostMapping("/reports")
  public ResponseEntity<Map<String, String>> start() {
    String id = UUID.randomUUID().toString();
    reports.start(id, owner());
    jobs.generate(id);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", id));
  }

  /**
   * The report, for the caller who started it; {@code 404} for anyone else, as for an unknown id.
   *
   * @param id the report's id
   * @return the report, or {@code 404}
   */
  @GetMapping("/reports/{id}")
  public ResponseEntity<Report> get(@PathVariable String id) {
    return ResponseEntity.of(reports.find(id, owner()));
  }

  private static ReportOwner owner() {
    AccessToken caller =
        Baton.currentToken()
            .orElseThrow(
                () -> new IllegalStateException("no caller bound to an authenticated request"));
    return new ReportOwner(caller.clientId(), caller.subject());
  }
}
