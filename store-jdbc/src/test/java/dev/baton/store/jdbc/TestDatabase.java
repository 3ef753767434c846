package dev.baton.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baton.tck.FailureInjector;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One real PostgreSQL for the whole test run: embedded (zonky's binaries from a Maven artifact, on
 * a free loopback port, data under {@code target/}) and stoppable for outages, which restart the
 * same data directory on the same port. Shared because starting takes seconds on two cores; each
 * test uses its own keys or tables.
 *
 * <p>When the environment sets {@code PG_URL} (a {@code jdbc:postgresql://127.0.0.1...} URL), that
 * server is used instead, and outages cut a {@link LoopbackProxy} in front of it.
 */
final class TestDatabase {
  private static @Nullable TestDatabase instance;

  private final @Nullable Path dataDirectory;
  private final int port;
  private final @Nullable String externalUrl;
  private final @Nullable LoopbackProxy proxy;
  private @Nullable EmbeddedPostgres server;
  private @Nullable HikariDataSource pool;

  private TestDatabase() throws IOException {
    String external = System.getenv("PG_URL");
    if (external != null && !external.isBlank()) {
      if (!external.startsWith("jdbc:postgresql://127.0.0.1:")) {
        throw new IllegalStateException("PG_URL must be"
            + " jdbc:postgresql://127.0.0.1:<port>/<database>[?user=...] (loopback only)");
      }
      this.externalUrl = external;
      this.dataDirectory = null;
      int target = Integer.parseInt(external.substring("jdbc:postgresql://127.0.0.1:".length())
          .replaceAll("[^0-9].*", ""));
      this.proxy = LoopbackProxy.start(target);
      this.port = proxy.port();
    } else {
      this.externalUrl = null;
      this.proxy = null;
      this.dataDirectory =
          Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-data-");
      this.port = freePort();
      start();
    }
  }

  /** The run's database, started on first use. */
  static synchronized TestDatabase get() {
    TestDatabase db = instance;
    if (db == null) {
      try {
        db = new TestDatabase();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
      }
      instance = db;
      TestDatabase started = db;
      Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown, "pg-test-shutdown"));
    }
    return db;
  }

  /** A JDBC URL of the database, on loopback, without Baton parameters. */
  String jdbcUrl() {
    if (externalUrl != null) {
      return externalUrl.replaceFirst("127\\.0\\.0\\.1:[0-9]+", "127.0.0.1:" + port);
    }
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** The port clients connect to (the proxy's, with {@code PG_URL}). */
  int port() {
    return port;
  }

  /** A pool shared by the tests that don't need their own; never closed before the run ends. */
  synchronized DataSource pool() {
    HikariDataSource p = pool;
    if (p == null) {
      p = newPool(8);
      pool = p;
    }
    return p;
  }

  /**
   * A new pool of {@code size} connections that waits at most 2 s for one: each operation during
   * an outage waits this long, and a loaded machine needs more than 1 s to open a connection.
   */
  HikariDataSource newPool(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl());
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(2_000);
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /** Runs SQL as the superuser on a connection of its own. */
  void execute(String sql) {
    try (Connection c = pool().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test SQL failed: " + sql, e);
    }
  }

  /**
   * Stops the database (or cuts the proxy) until the returned outage is closed, which brings it
   * back on the same port with the same data.
   */
  synchronized FailureInjector.Outage outage() throws IOException {
    if (proxy != null) {
      proxy.cut();
      return () -> {
        proxy.restore();
        evictSharedPool();
      };
    }
    EmbeddedPostgres running = server;
    server = null;
    if (running != null) {
      running.close(); // pg_ctl stop: the postmaster and every backend exit, connections break
    }
    return () -> {
      try {
        start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not restart the embedded PostgreSQL", e);
      }
      evictSharedPool();
    };
  }

  /**
   * The shared pool still holds connections to the stopped server, and hands out one used less
   * than 500 ms ago without checking it: the next test's first statement would fail. Stores must
   * (and do) recover from that by themselves; tests that start after an outage should not have to.
   */
  private synchronized void evictSharedPool() {
    if (pool != null && pool.getHikariPoolMXBean() != null) {
      pool.getHikariPoolMXBean().softEvictConnections();
    }
  }

  private synchronized void start() throws IOException {
    server = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("fsync", "off")
        .setRegisterShutdownHook(false)
        .start();
  }

  private synchronized void shutdown() {
    try {
      if (pool != null) {
        pool.close();
      }
      if (proxy != null) {
        proxy.close();
      }
      if (server != null) {
        server.close();
      }
      if (dataDirectory != null) {
        deleteRecursively(dataDirectory); // ~40 MB per run
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("stopping the test PostgreSQL failed: " + e);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
