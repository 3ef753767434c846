package dev.baton.examples.mcp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/** A {@link JobBoard} in this process's memory. */
public final class MemoryJobBoard implements JobBoard {
  private final ConcurrentMap<String, Map<String, String>> jobs = new ConcurrentHashMap<>();

  @Override
  public void queued(String jobId, String owner) {
    jobs.put(jobId, Map.of(OWNER, owner, STATUS, QUEUED));
  }

  @Override
  public void running(String jobId) {
    update(jobId, Map.of(STATUS, RUNNING));
  }

  @Override
  public void done(String jobId, String ranAs, String app) {
    update(jobId, Map.of(STATUS, DONE, RAN_AS, ranAs, APP, app));
  }

  @Override
  public void failed(String jobId, String reason) {
    update(jobId, Map.of(STATUS, FAILED, REASON, reason));
  }

  @Override
  public @Nullable Map<String, String> status(String jobId) {
    return jobs.get(jobId);
  }

  private void update(String jobId, Map<String, String> fields) {
    jobs.computeIfPresent(jobId, (id, old) -> {
      var merged = new java.util.HashMap<>(old);
      merged.putAll(fields);
      return Map.copyOf(merged);
    });
  }
}
