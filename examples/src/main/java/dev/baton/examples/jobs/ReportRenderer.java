package dev.baton.examples.jobs;

/**
 * Renders a report. In a real application it calls a downstream API as the caller the job runs as,
 * found with {@code Baton.currentToken()} (empty for a job running without a caller). Must be
 * thread-safe.
 */
@FunctionalInterface
public interface ReportRenderer {
  /**
   * Renders {@code reportName}.
   *
   * @return the report's body
   * @throws RuntimeException if rendering fails; the job is retried
   */
  String render(String reportName);
}
