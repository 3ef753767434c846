package dev.baton.jobrunr;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the test JVM (embedded, on a free loopback port, data under
 * {@code target/}), or the one {@code PG_URL} names ({@code jdbc:postgresql://127.0.0.1:...}). Each
 * test class gets a database of its own from {@link #newDatabase()}, so JobRunr's tables never
 * carry over between classes.
 */
final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static TestPostgres instance;

  private final String adminUrl;
  private EmbeddedPostgres server;
  private Path dataDirectory;

  private TestPostgres() throws IOException {
    String external = System.getenv("PG_URL");
    if (external != null && !external.isBlank()) {
      if (!external.startsWith("jdbc:postgresql://127.0.0.1:")) {
        throw new IllegalStateException("PG_URL must be"
            + " jdbc:postgresql://127.0.0.1:<port>/<database>[?user=...] (loopback only)");
      }
      adminUrl = external;
      return;
    }
    dataDirectory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pg-data-");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    server = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setPort(port)
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("fsync", "off")
        .setServerConfig("max_connections", "200")
        .setRegisterShutdownHook(false)
        .start();
    adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "pg-test-shutdown"));
  }

  static synchronized TestPostgres get() {
    if (instance == null) {
      try {
        instance = new TestPostgres();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
      }
    }
    return instance;
  }

  /** A new, empty database; its JDBC URL (loopback). */
  String newDatabase() {
    String name = "jobrunr_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return adminUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
  }

  static HikariDataSource pool(String jdbcUrl, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(10_000);
    return new HikariDataSource(config);
  }

  private synchronized void shutdown() {
    try {
      if (server != null) {
        server.close();
      }
      if (dataDirectory != null) {
        try (var paths = Files.walk(dataDirectory)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("stopping the test PostgreSQL failed: " + e);
    }
  }
}
