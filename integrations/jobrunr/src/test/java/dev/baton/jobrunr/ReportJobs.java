package dev.baton.jobrunr;

import dev.baton.Baton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The job the worker processes run: records, in PostgreSQL, the caller it was created for and the
 * caller it saw. Runs with no Baton code: the caller comes from {@link Baton#currentToken()}.
 */
public final class ReportJobs {
  static volatile DataSource results;
  static volatile String worker = "?";

  private ReportJobs() {}

  /** Takes about 100 ms, like a small report, and records what it saw. */
  public static void report(String expectedSubject, String tag)
      throws SQLException, InterruptedException {
    insert("starts", expectedSubject, tag, Jobs.seen());
    Thread.sleep(100); // the report's work: keeps both workers busy when one is killed
    insert("runs", expectedSubject, tag, Jobs.seen());
  }

  private static void insert(String table, String expectedSubject, String tag, String seen)
      throws SQLException {
    try (Connection c = results.getConnection();
        PreparedStatement s = c.prepareStatement(
            "INSERT INTO " + table + " (tag, expected, seen, worker) VALUES (?, ?, ?, ?)")) {
      s.setString(1, tag);
      s.setString(2, expectedSubject);
      s.setString(3, seen);
      s.setString(4, worker);
      s.executeUpdate();
    }
  }
}
