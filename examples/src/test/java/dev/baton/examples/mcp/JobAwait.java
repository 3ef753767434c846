package dev.baton.examples.mcp;

import java.util.Map;

/** Polls report_status until the job finishes, within a bound of attempts (no sleeps). */
final class JobAwait {
  private JobAwait() {}

  static Map<String, Object> finished(DemoClient client, String jobId) {
    for (int attempt = 0; attempt < 100_000; attempt++) {
      Map<String, Object> status = client.reportStatus(jobId);
      Object state = status.get("status");
      if ("done".equals(state) || "failed".equals(state)) {
        return status;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("job " + jobId + " did not finish");
  }
}
