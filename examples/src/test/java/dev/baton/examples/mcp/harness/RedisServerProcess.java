package dev.baton.examples.mcp.harness;
// Copied from store-redis/src/test/java/dev/baton/store/redis/harness (test classes are not shared
// across modules); keep in step with the original.

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} child process on a free port of {@code 127.0.0.1}, in its own
 * temporary directory, for tests that need to kill, stop and restart Redis.
 *
 * <p>The server binds to {@code 127.0.0.1} only, never saves RDB snapshots, and by default keeps no
 * AOF; {@link Builder#appendOnly(boolean)} turns on {@code appendonly yes} with {@code appendfsync
 * always}, so every acknowledged write survives {@link #kill()} and {@link #restart()} (same port,
 * same directory). Startup waits until the server answers {@code PING} with {@code +PONG}, up to
 * {@link Builder#startupTimeout(Duration)}; a failed startup throws an {@link
 * IllegalStateException} holding the tail of the server's log.
 *
 * <p>{@link #close()} stops the process and deletes the directory. Processes still running when the
 * JVM exits are killed by a shutdown hook, so a crashed test run leaves no server behind. All
 * methods are thread-safe (synchronized).
 *
 * <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.builder().appendOnly(true).build().start()) {
 *     String uri = redis.uri();     // redis://127.0.0.1:PORT
 *     redis.kill();                 // SIGKILL
 *     redis.restart();              // same port, data from the AOF
 * }
 * }</pre>
 */
public final class RedisServerProcess implements AutoCloseable {

  /** How long {@link #start()} waits for {@code +PONG} unless configured. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(20);

  /** How long {@link #stop()} waits for a graceful exit before forcing it. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  static final Duration POLL_INTERVAL = Duration.ofMillis(20);
  static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 30;
  private static final int RESERVED_PORT = 6379;
  private static final int CLUSTER_BUS_OFFSET = 10000;

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Process process : LIVE) {
                    process.destroyForcibly();
                  }
                },
                "redis-server-process-reaper"));
  }

  private final Path binary;
  private final boolean appendOnly;
  private final boolean clusterEnabled;
  private final List<String> extraArgs;
  private final Duration startupTimeout;
  private final IntSupplier portSource;
  private final Path dir;
  private final Path logFile;
  private final Path stdoutFile;

  private int port = -1;
  private Process process;
  private boolean closed;

  private RedisServerProcess(Builder builder) {
    this.binary = builder.binary != null ? builder.binary : RedisBinaries.server();
    this.appendOnly = builder.appendOnly;
    this.clusterEnabled = builder.clusterEnabled;
    this.extraArgs = List.copyOf(builder.extraArgs);
    this.startupTimeout = builder.startupTimeout;
    this.portSource =
        builder.portSource != null ? builder.portSource : () -> freePort(clusterEnabled);
    try {
      this.dir = Files.createTempDirectory("baton-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for redis-server", e);
    }
    this.logFile = dir.resolve("redis.log");
    this.stdoutFile = dir.resolve("stdout.log");
  }

  /** A builder with the defaults: no AOF, no cluster, no extra args. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds and starts a server with the defaults. */
  public static RedisServerProcess startDefault() {
    return builder().build().start();
  }

  /**
   * Starts the server on a fresh free port and waits for {@code +PONG}. A port taken by someone
   * else between choosing and binding ("Address already in use") is retried with another port,
   * {@value #START_ATTEMPTS} attempts in all.
   *
   * <p>When startup fails the instance is closed (its directory deleted), since a caller writing
   * {@code try (var r = builder.build().start())} never gets a reference to close.
   *
   * @return this
   * @throws IllegalStateException when already running, closed, or the server does not come up (the
   *     message holds the log tail)
   */
  public synchronized RedisServerProcess start() {
    requireOpen();
    if (isRunning()) {
      throw new IllegalStateException("redis-server already running on port " + port);
    }
    String lastFailure = "";
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int candidate = portSource.getAsInt();
      try {
        launch(candidate);
        return this;
      } catch (AddressInUse e) {
        lastFailure = e.getMessage();
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }
    close();
    throw new IllegalStateException(
        "redis-server could not bind a free port in "
            + START_ATTEMPTS
            + " attempts; last failure: "
            + lastFailure);
  }

  /**
   * Starts the server again on the same port and in the same directory (so AOF data and a cluster's
   * {@code nodes.conf} survive). Stops it first if it is running.
   *
   * @return this
   * @throws IllegalStateException when never started, closed, or the server does not come up
   */
  public synchronized RedisServerProcess restart() {
    requireOpen();
    if (port < 0) {
      throw new IllegalStateException("restart needs a server that was started once");
    }
    if (isRunning()) {
      stop();
    }
    try {
      launch(port);
    } catch (AddressInUse e) {
      throw new IllegalStateException(e.getMessage());
    }
    return this;
  }

  /**
   * Kills the server with SIGKILL ({@link Process#destroyForcibly()}) and waits until it is gone.
   */
  public synchronized void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    awaitExit(p, DEFAULT_STOP_TIMEOUT);
    LIVE.remove(p);
    process = null;
  }

  /**
   * Stops the server gracefully with {@code SHUTDOWN NOSAVE} and waits until it is gone; falls back
   * to SIGTERM, then SIGKILL, when it does not exit in time.
   */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    if (p.isAlive()) {
      try {
        Resp.call(port, "SHUTDOWN", "NOSAVE");
      } catch (IOException | Resp.ErrorReply expectedOrIgnored) {
        // the server closes the connection without a reply; any other failure → fallback below
      }
      if (!waitFor(p, DEFAULT_STOP_TIMEOUT)) {
        p.destroy();
        if (!waitFor(p, DEFAULT_STOP_TIMEOUT)) {
          p.destroyForcibly();
          awaitExit(p, DEFAULT_STOP_TIMEOUT);
        }
      }
    }
    LIVE.remove(p);
    process = null;
  }

  /** Stops the server (if running) and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      stop();
    } finally {
      closed = true;
      deleteRecursively(dir);
    }
  }

  /** The port chosen by the first {@link #start()}; kept by {@link #restart()}. */
  public synchronized int port() {
    if (port < 0) {
      throw new IllegalStateException("not started");
    }
    return port;
  }

  /** {@code redis://127.0.0.1:PORT}, the form Lettuce's {@code RedisURI.create} accepts. */
  public String uri() {
    return "redis://127.0.0.1:" + port();
  }

  /** Whether the child process is alive (it may not have answered PING yet). */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The server's working directory (AOF, {@code nodes.conf}, logs). */
  public Path dir() {
    return dir;
  }

  /** The server's log file ({@code --logfile}). */
  public Path logFile() {
    return logFile;
  }

  /** The last lines of the server log and of its stdout/stderr, for failure messages. */
  public String logTail() {
    return "--- "
        + logFile
        + " ---\n"
        + tail(logFile)
        + "--- "
        + stdoutFile
        + " ---\n"
        + tail(stdoutFile);
  }

  @Override
  public String toString() {
    return "RedisServerProcess[127.0.0.1:"
        + port
        + ", running="
        + isRunning()
        + ", dir="
        + dir
        + "]";
  }

  private void launch(int candidate) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(
        List.of(
            "--port", Integer.toString(candidate),
            "--bind", "127.0.0.1",
            "--protected-mode", "yes",
            "--save", "",
            "--dir", dir.toString(),
            "--logfile", logFile.toString(),
            "--daemonize", "no"));
    if (appendOnly) {
      command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
    } else {
      command.addAll(List.of("--appendonly", "no"));
    }
    if (clusterEnabled) {
      command.addAll(
          List.of(
              "--cluster-enabled", "yes",
              "--cluster-config-file", "nodes.conf",
              "--cluster-node-timeout", "2000"));
    }
    command.addAll(extraArgs);

    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdoutFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice().toFile()));
    long logOffset = size(logFile);
    long stdoutOffset = size(stdoutFile);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
    }
    LIVE.add(p);
    port = candidate;
    process = p;

    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (true) {
      if (Resp.ping(candidate, Duration.ofMillis(500)) && p.isAlive()) {
        if (servedBy(candidate, p)) {
          return;
        }
        // another process owns the port; ours fails with "Address already in use" shortly
      }
      if (!p.isAlive()) {
        LIVE.remove(p);
        process = null;
        String fresh = since(logFile, logOffset) + since(stdoutFile, stdoutOffset);
        String message =
            "redis-server exited with code "
                + p.exitValue()
                + " while starting on 127.0.0.1:"
                + candidate
                + "\n"
                + logTail();
        if (fresh.contains("Address already in use")) {
          throw new AddressInUse(message);
        }
        throw new IllegalStateException(message);
      }
      if (System.nanoTime() - deadline > 0) {
        p.destroyForcibly();
        awaitExit(p, DEFAULT_STOP_TIMEOUT);
        LIVE.remove(p);
        process = null;
        throw new IllegalStateException(
            "redis-server did not answer PING on 127.0.0.1:"
                + candidate
                + " within "
                + startupTimeout
                + "\n"
                + logTail());
      }
      pause();
    }
  }

  /**
   * Whether the server answering on {@code port} is {@code p} (INFO's process_id), not a stranger.
   */
  private static boolean servedBy(int port, Process p) {
    try {
      Object info = Resp.call(port, "INFO", "server");
      return info instanceof String && ((String) info).contains("process_id:" + p.pid() + "\r\n");
    } catch (IOException | Resp.ErrorReply e) {
      return false;
    }
  }

  /**
   * A free TCP port on 127.0.0.1 (never 6379). With {@code clusterBus}, {@code port + 10000} (the
   * cluster bus port) must be free as well.
   */
  static int freePort(boolean clusterBus) {
    for (int i = 0; i < 100; i++) {
      int candidate;
      try (ServerSocket socket = new ServerSocket(0, 1, Resp.LOOPBACK)) {
        candidate = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
      }
      if (candidate == RESERVED_PORT) {
        continue;
      }
      if (clusterBus) {
        int bus = candidate + CLUSTER_BUS_OFFSET;
        if (bus > 65535 || bus == RESERVED_PORT + CLUSTER_BUS_OFFSET) {
          continue;
        }
        try (ServerSocket busSocket = new ServerSocket(bus, 1, Resp.LOOPBACK)) {
          busSocket.getLocalPort();
        } catch (IOException taken) {
          continue;
        }
      }
      return candidate;
    }
    throw new IllegalStateException("no free port on 127.0.0.1 after 100 tries");
  }

  static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted while waiting for redis-server to exit", e);
    }
  }

  private static void awaitExit(Process p, Duration timeout) {
    if (!waitFor(p, timeout)) {
      throw new IllegalStateException(
          "redis-server (pid " + p.pid() + ") did not exit within " + timeout);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("closed: " + this);
    }
  }

  private static Path nullDevice() {
    return Path.of(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static String since(Path file, long offset) {
    try {
      if (!Files.exists(file)) {
        return "";
      }
      byte[] bytes = Files.readAllBytes(file);
      int from = (int) Math.min(offset, bytes.length);
      return new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(Path file) {
    try {
      if (!Files.exists(file)) {
        return "(no file)\n";
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      StringBuilder out = new StringBuilder();
      for (String line : lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())) {
        out.append(line).append('\n');
      }
      return out.toString();
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")\n";
    }
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** Startup failed because the port was taken; {@link #start()} retries with another port. */
  private static final class AddressInUse extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AddressInUse(String message) {
      super(message);
    }
  }

  /** Options for a {@link RedisServerProcess}; {@link #build()} does not start it. */
  public static final class Builder {
    private Path binary;
    private boolean appendOnly;
    private boolean clusterEnabled;
    private final List<String> extraArgs = new ArrayList<>();
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private IntSupplier portSource;

    private Builder() {}

    /**
     * Test seam: where {@link #start()} takes candidate ports from (default: a free loopback port).
     */
    Builder portSource(IntSupplier portSource) {
      this.portSource = Objects.requireNonNull(portSource, "portSource");
      return this;
    }

    /**
     * The {@code redis-server} executable; default: {@code $REDIS_SERVER_BIN}, PATH, /usr/bin,
     * /usr/local/bin.
     */
    public Builder binary(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /** {@code appendonly yes} + {@code appendfsync always} (default: {@code appendonly no}). */
    public Builder appendOnly(boolean appendOnly) {
      this.appendOnly = appendOnly;
      return this;
    }

    /**
     * {@code --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000};
     * the chosen port's cluster bus port ({@code port + 10000}) is checked to be free too.
     */
    public Builder clusterEnabled(boolean clusterEnabled) {
      this.clusterEnabled = clusterEnabled;
      return this;
    }

    /** Appends raw {@code redis-server} arguments, e.g. {@code "--maxmemory", "10mb"}. */
    public Builder extraArgs(String... args) {
      for (String arg : args) {
        extraArgs.add(Objects.requireNonNull(arg, "arg"));
      }
      return this;
    }

    /** How long {@link #start()} and {@link #restart()} wait for {@code +PONG}. */
    public Builder startupTimeout(Duration startupTimeout) {
      Objects.requireNonNull(startupTimeout, "startupTimeout");
      if (startupTimeout.isNegative() || startupTimeout.isZero()) {
        throw new IllegalArgumentException("startupTimeout must be positive: " + startupTimeout);
      }
      this.startupTimeout = startupTimeout;
      return this;
    }

    /**
     * A new, not yet started process with its own temp directory.
     *
     * @throws IllegalStateException when no {@code redis-server} executable is found
     */
    public RedisServerProcess build() {
      return new RedisServerProcess(this);
    }
  }
}
