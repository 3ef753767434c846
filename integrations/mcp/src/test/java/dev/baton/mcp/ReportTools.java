package dev.baton.mcp;

import dev.baton.Baton;
import dev.baton.mcp.BackgroundTool;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.List;
import org.jobrunr.jobs.context.JobContext;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.StorageProvider;

/** start_report(month): reports.generate in the background, as the caller; report_status(job_id). */
final class ReportTools {
  private ReportTools() {}

  static List<SyncToolSpecification> of(Baton baton, JobScheduler jobs, StorageProvider storage,
      Reports reports) {
    return BackgroundTool.builder("report", baton, jobs, storage)
        .job(args -> () -> reports.generate((String) args.get("month"), JobContext.Null))
        .result(reports::resultOf)                           // the job saved it under its id
        .build();
  }
}
