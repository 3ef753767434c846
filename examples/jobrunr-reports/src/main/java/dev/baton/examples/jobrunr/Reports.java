package dev.baton.examples.jobrunr;

import dev.baton.AccessToken;
import dev.baton.Baton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.jobrunr.jobs.context.JobContext;
import org.jspecify.annotations.Nullable;

/** The report job: knows nothing of Baton beyond asking who it runs for. */
public final class Reports {
  private static volatile @Nullable DataSource database;

  private Reports() {}

  static void useDatabase(DataSource dataSource) {
    database = dataSource;
  }

  /**
   * Generates report {@code id} for whoever the job runs as, and records whom that was next to
   * whom the submitter created it for.
   */
  public static void generate(String id, String createdFor) throws SQLException {
    String ranAs = Baton.currentToken().map(Reports::subject).orElse("nobody");
    try (Connection c = Objects.requireNonNull(database, "database").getConnection();
        PreparedStatement s = c.prepareStatement(
            "INSERT INTO reports (id, created_for, ran_as) VALUES (?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, createdFor);
      s.setString(3, ranAs);
      s.executeUpdate();
    }
  }

  /**
   * The background tool's job ({@link McpReportsDemo}): records whom it ran as under its JobRunr
   * job id (JobRunr passes the job's {@link JobContext}), with the report's name in
   * {@code created_for}; {@code report_status} reads its result by job id.
   */
  public static void generateAs(String name, JobContext job) throws SQLException {
    generate(job.getJobId().toString(), name);
  }

  static String subject(AccessToken token) {
    return String.valueOf(token.claims().get("sub"));
  }
}
