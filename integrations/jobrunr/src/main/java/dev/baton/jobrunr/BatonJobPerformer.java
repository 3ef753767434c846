package dev.baton.jobrunr;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import dev.baton.CleanupPolicy;
import dev.baton.RestoreFailedException;
import dev.baton.Scope;
import dev.baton.SnapshotHeartbeat;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import org.jobrunr.jobs.Job;
import org.jobrunr.server.BackgroundJobPerformer;
import org.jobrunr.server.BackgroundJobServer;

/**
 * Runs one job as its caller: restores the snapshot named by the job's metadata before JobRunr
 * starts the job, holds a heartbeat lease while it runs, and leaves the thread as it found it.
 *
 * <p>The rules, in order: no key in the metadata &rarr; the job runs with an explicit "no caller"
 * (whatever the pool thread held is hidden); a key that is malformed or names another job &rarr;
 * fail closed, not retried (only the job's own key is accepted); a restore that fails &rarr; fail closed (missing: not retried; store
 * failure: retried per JobRunr's policy); a restored snapshot without a valid token of the key's
 * caller (expired, anonymous) &rarr; fail closed, not retried. Failing closed throws before
 * {@code super.performJob()}, which JobRunr turns into a FAILED state; the body never runs.
 */
final class BatonJobPerformer extends BackgroundJobPerformer {
  private final Job job;
  private final Baton baton;

  BatonJobPerformer(BackgroundJobServer server, Job job, BatonJobFilter filter) {
    super(server, job);
    this.job = job;
    this.baton = filter.baton();
  }

  @Override
  protected void performJob() throws Exception {
    Object encoded = job.getMetadata().get(BatonJobFilter.METADATA_KEY);
    if (encoded == null) {
      try (Scope none = CallerBinding.none().install()) {
        super.performJob();
      }
      return;
    }
    TaskKey key = keyOf(encoded);
    TaskScope scope;
    try {
      scope = baton.enter(key, CleanupPolicy.TTL_ONLY); // the filter deletes at the final state
    } catch (RestoreFailedException e) {
      throw notRestored(String.valueOf(e.getMessage()), e.reason() == RestoreFailedException.Reason.STORE_FAILED,
          e);
    }
    try (scope) {
      AccessToken caller = scope.context().accessToken().orElse(null);
      if (caller == null) {
        throw notRestored("the caller's token under task " + key + " has expired (or the"
            + " snapshot holds no caller)", false, null);
      }
      try (SnapshotHeartbeat.Lease lease =
          baton.heartbeat().keepAlive(key, caller.expiresAt())) {
        super.performJob();
      }
    }
  }

  private TaskKey keyOf(Object encoded) {
    if (!(encoded instanceof String text)) {
      throw notRestored("its metadata " + BatonJobFilter.METADATA_KEY + " is not a string",
          false, null);
    }
    TaskKey key = BatonJobFilter.keyFor(job.getId());
    if (!key.encoded().equals(text)) {
      // Only ever compared, never parsed into a key to load: metadata is untrusted input.
      throw notRestored("its metadata " + BatonJobFilter.METADATA_KEY + " does not name this"
          + " job's snapshot (" + key + "): a copied or altered job", false, null);
    }
    return key;
  }

  private CallerNotRestoredException notRestored(String reason, boolean retryable,
      @org.jspecify.annotations.Nullable Throwable cause) {
    return new CallerNotRestoredException("Baton did not run job " + job.getId()
        + " as its caller: " + reason, retryable, cause);
  }
}
