package dev.baton.store.jdbc;

import dev.baton.TaskKey;
import dev.baton.store.TokenStoreException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.jspecify.annotations.Nullable;

/**
 * The one place JDBC failures become {@link TokenStoreException}s.
 *
 * <p>The message names the operation, the task key and the SQLState with what it means. The
 * database's own text is withheld, here and in the cause: PostgreSQL messages can quote row values
 * ("Failing row contains (...)", "Key (task_key)=(...)"), and a row value may be a token. The cause
 * is a copy of the driver's exception chain that keeps each exception's class, SQLState and stack
 * trace; connection failures (SQLState class 08 and 57P, JDBC's connection exception types, such
 * as a pool's timeout, and causes that are not SQL exceptions, such as {@code ConnectException})
 * keep their messages, which name hosts and pool counts, never values.
 */
final class JdbcErrors {
  private JdbcErrors() {}

  static TokenStoreException translate(String operation, @Nullable TaskKey key, SQLException e) {
    String state = sqlState(e);
    String what = "PostgreSQL " + operation + (key == null ? "" : " for task " + key);
    String meaning = state == null && e instanceof SQLTransientConnectionException
        ? "no connection became available in time (pool exhausted, or the database unreachable)"
        : meaning(state);
    return new TokenStoreException(what + " failed: " + meaning + " (SQLState "
        + (state == null ? "none" : state) + ")", redacted(e));
  }

  /** The first SQLState in the chain (a pool's exception often carries its cause's). */
  private static @Nullable String sqlState(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  private static String meaning(@Nullable String state) {
    if (state == null) {
      return "the database or the pool gave no reason";
    }
    if (state.startsWith("08")) {
      return "the database is unreachable or the connection broke";
    }
    if (state.startsWith("28")) {
      return "the database refused the credentials";
    }
    if (state.startsWith("53")) {
      return "the database is out of resources (connections, memory or disk)";
    }
    if (state.startsWith("57P")) {
      return "the database is shutting down or restarting";
    }
    return switch (state) {
      case "57014" -> "the statement timed out (queryTimeout) or was cancelled";
      case "40001", "40P01" -> "the statement lost a serialization conflict or deadlock";
      case "42P01" -> "the table does not exist (create it, or build with createSchema(true))";
      case "42703" ->
          "the table lacks a column this store needs (see JdbcTokenSnapshotStore.schema)";
      case "42501" -> "the database user lacks a privilege on the table";
      case "25006" -> "the database is read-only (a standby?)";
      case "3D000" -> "the database does not exist";
      default -> "the database reported an error";
    };
  }

  private static boolean keepsMessage(SQLException e) {
    // Connection-level failures, and a pool's "no connection available": no row data in them.
    if (e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException) {
      return true;
    }
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  /** A copy of {@code t}'s chain without database text (see the class comment). */
  static @Nullable Throwable redacted(@Nullable Throwable t) {
    return redacted(t, 0);
  }

  private static @Nullable Throwable redacted(@Nullable Throwable t, int depth) {
    if (t == null || depth > 16) {
      return null;
    }
    if (!(t instanceof SQLException sql)) {
      // Connection-level exceptions (ConnectException, SocketTimeoutException, EOFException) say
      // where, never what was sent; anything else is cut off here.
      return t instanceof java.io.IOException ? t : new RedactedCause(t.getClass().getName(), t);
    }
    String text = sql.getClass().getName()
        + (keepsMessage(sql) ? ": " + sql.getMessage() : " (database message withheld)");
    SQLException copy = new SQLException(text, sql.getSQLState(), sql.getErrorCode(),
        redacted(sql.getCause() == sql ? null : sql.getCause(), depth + 1));
    copy.setStackTrace(sql.getStackTrace());
    return copy;
  }

  /** Stands in for a non-SQL cause whose message is not known to be free of values. */
  private static final class RedactedCause extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RedactedCause(String className, Throwable original) {
      super(className + " (message withheld)", null, false, true);
      setStackTrace(original.getStackTrace());
    }
  }
}
