package dev.baton.examples.reports;

import dev.baton.AccessToken;
import dev.baton.Baton;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Runs report jobs in the background. A job finds its caller with {@link Baton#currentToken()}
 * alone, as any code in a request would: nothing is handed over by the controller. The Baton starter
 * makes the {@code @Async} executor run the job as the caller who started it.
 */
@Service
public class ReportJobs {
  private final Reports reports;
  private final Downstream downstream;
  private final ObjectProvider<JobHooks> hooks;

  ReportJobs(Reports reports, Downstream downstream, ObjectProvider<JobHooks> hooks) {
    this.reports = reports;
    this.downstream = downstream;
    this.hooks = hooks;
  }

  /**
   * Generates report {@code id} as the current caller: calls the downstream API with the caller's
   * own token and records whom it ran as and whom the downstream saw. Without a caller (none was
   * bound, or the token expired while the job waited) the downstream is not called and the report
   * fails.
   *
   * @param id the report
   */
  @Async
  public void generate(String id) {
    JobHooks hook = hooks.getIfAvailable(() -> JobHooks.NONE);
    hook.beforeRun(id);
    try {
      run(id);
    } finally {
      hook.afterRun(id);
    }
  }

  private void run(String id) {
    Optional<AccessToken> caller = Baton.currentToken();
    if (caller.isEmpty()) {
      reports.finish(new Report(id, "failed: no caller", null, null));
      return;
    }
    AccessToken token = caller.get();
    Report.Caller ranAs = new Report.Caller(token.subject(), token.clientId(), token.scopes());
    try {
      Report.Caller saw = parse(downstream.whoAmI(token.token()));
      reports.finish(new Report(id, "done", ranAs, saw));
    } catch (Downstream.DownstreamException e) {
      reports.finish(new Report(id, "failed: " + e.getMessage(), ranAs, null));
    }
  }

  /** The downstream's answer: {@code sub}, {@code client_id} and {@code scope}, one a line. */
  private static Report.Caller parse(String body) {
    String[] lines = body.split("\n", -1);
    if (lines.length < 3) {
      throw new Downstream.DownstreamException("downstream answered " + lines.length + " lines");
    }
    @Nullable String subject = lines[0].isEmpty() ? null : lines[0];
    List<String> scopes =
        lines[2].isBlank() ? List.of() : Arrays.asList(lines[2].trim().split(" +"));
    return new Report.Caller(subject, lines[1], scopes);
  }

  /**
   * Called around each job: a hook for tests that hold jobs (to interleave them, or to let a token
   * expire while its job waits) and wait for them to finish. Without a bean of this type, nothing.
   */
  public interface JobHooks {
    /** Hooks that do nothing. */
    JobHooks NONE = new JobHooks() {};

    /**
     * Called when report {@code id}'s job starts, before it reads its caller; the job goes on when
     * this returns.
     *
     * @param id the report
     */
    default void beforeRun(String id) {}

    /**
     * Called when report {@code id}'s job has recorded its report.
     *
     * @param id the report
     */
    default void afterRun(String id) {}
  }
}
