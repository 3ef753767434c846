package dev.baton.examples.jobrunr;

import dev.baton.AccessToken;
import dev.baton.Baton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  /** Where {@link #generateAs} calls the downstream API, and the worker name it tells it. */
  private static volatile @Nullable URI downstream;
  private static volatile String worker = "-";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Reports() {}

  static void useDatabase(DataSource dataSource) {
    database = dataSource;
  }

  /** The downstream API {@link #generateAs} calls as its caller, and this worker's name. */
  static void useDownstream(URI api, String workerName) {
    downstream = api;
    worker = workerName;
  }

  /**
   * Generates report {@code id} for whoever the job runs as, and records whom that was next to
   * whom the submitter created it for.
   */
  public static void generate(String id, String createdFor) throws SQLException {
    record(id, createdFor, Baton.currentToken().map(Reports::subject).orElse("nobody"));
  }

  private static void record(String id, String createdFor, String ranAs) throws SQLException {
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
   * The background tool's job ({@link McpReportsDemo}): calls the downstream API with its caller's
   * token, and records whom the API saw under its JobRunr job id (JobRunr passes the job's {@link
   * JobContext}), with the report's name in {@code created_for}; {@code report_status} reads its
   * result by job id. A job with no caller calls nothing and records {@code nobody}.
   */
  public static void generateAs(String name, JobContext job) throws Exception {
    String jobId = job.getJobId().toString();
    AccessToken caller = Baton.currentToken().orElse(null);
    String ranAs = caller == null ? "nobody" : callDownstream(caller, jobId);
    record(jobId, name, ranAs);
  }

  /** GET {@code /downstream/report} as {@code caller}; returns the subject the API verified. */
  private static String callDownstream(AccessToken caller, String jobId) throws Exception {
    URI api = Objects.requireNonNull(downstream, "downstream");
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api.resolve(
                "/downstream/report?job=" + jobId + "&worker=" + worker))
            .header("Authorization", "Bearer " + caller.token()).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("downstream answered " + response.statusCode());
    }
    return response.body();
  }

  static String subject(AccessToken token) {
    return String.valueOf(token.claims().get("sub"));
  }
}
