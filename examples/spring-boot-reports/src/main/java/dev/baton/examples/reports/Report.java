package dev.baton.examples.reports;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A report as its owner sees it. {@code ranAs} is whom the job ran as (from the caller Baton
 * restored in the job), {@code downstreamSaw} whom the downstream API authenticated from the token
 * the job sent; both {@code null} while the job runs, and {@code ranAs} stays null when the job had
 * no caller (then the downstream was not called).
 *
 * @param id the report's id
 * @param status {@code running}, {@code done}, or {@code failed} with why
 * @param ranAs the caller the job ran as
 * @param downstreamSaw the caller the downstream API saw
 */
public record Report(
    String id, String status, @Nullable Caller ranAs, @Nullable Caller downstreamSaw) {

  /**
   * A caller, as a JWT names it.
   *
   * @param subject {@code sub}
   * @param clientId {@code client_id}
   * @param scopes the space-separated scope claim, split
   */
  public record Caller(@Nullable String subject, String clientId, List<String> scopes) {}

  static Report running(String id) {
    return new Report(id, "running", null, null);
  }
}
