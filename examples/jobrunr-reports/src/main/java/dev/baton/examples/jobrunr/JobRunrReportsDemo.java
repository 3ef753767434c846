package dev.baton.examples.jobrunr;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.jobrunr.JobCreationRefusedError;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.BackgroundJob;
import org.jspecify.annotations.Nullable;

/**
 * Three callers and an anonymous one create report jobs with plain {@code BackgroundJob.enqueue};
 * a second JVM runs them on JobRunr, each as its creator. Prints a per-caller table ending with
 * {@code wrong identities: N}; exits 1 unless N is 0.
 */
public final class JobRunrReportsDemo {
  private static final int REPORTS_PER_CALLER = 8;
  private static final List<String> CALLERS = List.of("alice", "bob", "carol");

  private JobRunrReportsDemo() {}

  public static void main(String[] args) throws Exception {
    Setup.quietLogs();
    int wrong = run(System.out);
    System.exit(wrong == 0 ? 0 : 1);
  }

  /** Runs the demo, printing to {@code out}; returns the number of wrong identities. */
  static int run(PrintStream out) throws Exception {
    Path work = Files.createTempDirectory("baton-jobrunr-demo");
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(work.resolve("pg")).setPort(freePort())
        .setServerConfig("listen_addresses", "127.0.0.1").start();
    Process worker = null;
    try (HikariDataSource database = Setup.database(
        "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres")) {
      execute(database, "CREATE TABLE reports (id text, created_for text, ran_as text)");
      Path keyRing = work.resolve("keys.txt");
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(keyRing, "k1:" + Base64.getEncoder().encodeToString(key));
      Baton baton = Setup.baton(database, keyRing);
      Setup.jobRunr(database, baton).initialize(); // this JVM creates jobs, runs none
      worker = startWorker(database.getJdbcUrl(), keyRing, work.resolve("worker.log"));

      int jobs = 0;
      for (int i = 0; i < REPORTS_PER_CALLER; i++) {
        for (String caller : CALLERS) {
          create(baton, token(caller, Duration.ofHours(1)), caller + "-" + i, caller);
          jobs++;
        }
        create(baton, null, "anonymous-" + i, "nobody");
        jobs++;
      }
      String refused = "";
      try (Scope request = baton.bindRequest(token("dave", Duration.ofMinutes(2)))) {
        BackgroundJob.schedule(Instant.now().plus(Duration.ofDays(1)),
            () -> Reports.generate("dave-tomorrow", "dave"));
      } catch (JobCreationRefusedError expected) {
        refused = "dave's report for tomorrow was refused at creation: his token expires first";
      }

      awaitReports(database, jobs, worker);
      int wrong = printTable(database, out);
      out.println(refused);
      out.println("wrong identities: " + wrong);
      return wrong;
    } finally {
      if (worker != null) {
        worker.destroyForcibly().waitFor();
      }
      JobRunr.destroy();
      postgres.close();
      try (var paths = Files.walk(work)) {
        paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private static void create(Baton baton, @Nullable AccessToken caller, String id,
      String createdFor) {
    try (Scope request = baton.bindRequest(caller)) {
      BackgroundJob.enqueue(() -> Reports.generate(id, createdFor));
    }
  }

  private static AccessToken token(String subject, Duration validFor) {
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    return new AccessToken("demo-" + HexFormat.of().formatHex(secret), "reports-web",
        List.of("reports:write"), Instant.now().plus(validFor), null, Map.of("sub", subject));
  }

  /** Starts a worker JVM ({@link ReportsWorker}) with {@code more} arguments after the first two. */
  static Process startWorker(String jdbcUrl, Path keyRing, Path log, String... more)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-cp",
        System.getProperty("java.class.path"), ReportsWorker.class.getName(), jdbcUrl,
        keyRing.toString()));
    command.addAll(List.of(more));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
  }

  private static void awaitReports(HikariDataSource database, int jobs, Process worker)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (count(database, "SELECT count(*) FROM jobrunr_jobs"
        + " WHERE state IN ('SUCCEEDED', 'FAILED')") < jobs) {
      if (!worker.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the worker JVM stopped or the jobs did not finish");
      }
      Thread.sleep(200);
    }
  }

  private static int printTable(HikariDataSource database, PrintStream out) throws SQLException {
    out.printf("%-10s %8s %10s %10s %16s%n", "caller", "reports", "as itself", "as nobody",
        "as someone else");
    int wrong = 0;
    List<String> rows = new ArrayList<>(CALLERS);
    rows.add("nobody");
    for (String caller : rows) {
      long all = count(database, "SELECT count(*) FROM reports WHERE created_for = '" + caller
          + "'");
      long itself = count(database, "SELECT count(*) FROM reports WHERE created_for = '"
          + caller + "' AND ran_as = created_for");
      long nobody = count(database, "SELECT count(*) FROM reports WHERE created_for = '"
          + caller + "' AND ran_as = 'nobody'");
      long other = all - itself - (caller.equals("nobody") ? 0 : nobody);
      wrong += (int) other;
      out.printf("%-10s %8d %10d %10d %16d%n", caller.equals("nobody") ? "anonymous" : caller,
          all, caller.equals("nobody") ? 0 : itself, nobody, other);
    }
    return wrong;
  }

  private static long count(HikariDataSource database, String query) throws SQLException {
    try (Connection c = database.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void execute(HikariDataSource database, String sql) throws SQLException {
    try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
