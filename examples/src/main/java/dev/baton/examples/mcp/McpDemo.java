package dev.baton.examples.mcp;

import dev.baton.Baton;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo run}: starts the MCP report server (and, on Redis, its worker processes), plays the
 * {@link Scenario} with real MCP clients, prints a table per client, and ends with
 * {@code wrong identities: N}. Exits non-zero when any job ran as someone else or never finished.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "An MCP server whose background jobs act as the calling client.",
    subcommands = {McpDemo.Run.class, McpDemo.Worker.class})
public final class McpDemo implements Callable<Integer> {

  /** Runs {@code demo} with {@code args}; no subcommand means {@code run}. */
  public static void main(String[] args) {
    String[] effective = args.length == 0 ? new String[] {"run"} : args;
    System.exit(new CommandLine(new McpDemo()).execute(effective));
  }

  /**
   * Sends every library's log (the SDK's, Jetty's, Lettuce's, Baton's warnings about jobs it
   * refused to run, which the table counts) to a file, so that the console shows only the demo's
   * own output, also under {@code mvn -q}.
   *
   * @return the log file
   */
  static Path logLibrariesToFile() throws IOException {
    Path file = Files.createTempFile("baton-mcp-demo-", ".log");
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    FileHandler handler = new FileHandler(file.toString());
    handler.setFormatter(new SimpleFormatter());
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    return file;
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** {@code demo run}. */
  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Start the server and workers, run the clients, print who each job ran as.")
  static final class Run implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@org.jspecify.annotations.Nullable CommandSpec spec;

    @Option(names = "--store", defaultValue = "memory:local",
        description = "Snapshot store URI: memory:local (in-process workers) or "
            + "redis://HOST:PORT?sealingKeys=env:NAME (worker processes). Default: ${DEFAULT-VALUE}")
    URI store = URI.create("memory:local");

    @Option(names = "--workers", defaultValue = "2",
        description = "Worker threads (memory) or worker processes (Redis). Default: ${DEFAULT-VALUE}")
    int workers = 2;

    @Option(names = "--jobs", defaultValue = "8",
        description = "Jobs each client submits. Default: ${DEFAULT-VALUE}")
    int jobs = 8;

    @Option(names = "--anonymous", negatable = true, defaultValue = "true",
        description = "Let a client without a token call tools (its jobs run with no caller). "
            + "Default: ${DEFAULT-VALUE}")
    boolean anonymous = true;

    @Option(names = "--kill-a-worker",
        description = "Redis only: kill -9 the worker process of the first job to call "
            + "downstream, mid-call; another worker reclaims the job and runs it as its caller.")
    boolean killAWorker;

    @Override
    public Integer call() throws Exception {
      CommandLine commandLine = java.util.Objects.requireNonNull(spec, "spec").commandLine();
      if (!"memory".equals(store.getScheme()) && !"redis".equals(store.getScheme())) {
        throw new CommandLine.ParameterException(commandLine,
            "--store must be memory:local or redis://HOST:PORT?sealingKeys=...: " + store);
      }
      if (killAWorker && !"redis".equals(store.getScheme())) {
        throw new CommandLine.ParameterException(commandLine,
            "--kill-a-worker needs worker processes: --store redis://...");
      }
      Path log = logLibrariesToFile();
      System.out.println("(library logs: " + log + ")");
      if ("memory".equals(store.getScheme())) {
        return runInMemory(store, workers, jobs, anonymous, System.out);
      }
      return runOnRedis(store, workers, jobs, anonymous, killAWorker, System.out);
    }
  }

  /**
   * The memory-mode demo: one process, in-process workers.
   *
   * @return the exit code: 0 when every job ran as its own caller (or with none), else 1
   */
  public static int runInMemory(URI storeUri, int workers, int jobs, boolean anonymous,
      PrintStream out) throws Exception {
    Clock clock = Clock.systemUTC();
    DemoIssuer issuer = DemoIssuer.create(clock);
    try (TokenSnapshotStore store = TokenSnapshotStores.open(storeUri)) {
      Baton baton = Baton.builder().store(store).clock(clock)
          .lifespan(Map.of("app", "baton-mcp-demo")).build();
      LocalJobQueue queue = new LocalJobQueue(workers, true);
      try (ReportServer server =
          new ReportServer(baton, issuer, new MemoryJobBoard(), queue, anonymous)) {
        out.println("MCP server on " + server.mcpUri() + " (store " + storeUri + ", "
            + workers + " in-process workers)");
        List<Scenario.Row> rows = new Scenario(server.baseUri(), issuer, clock, jobs,
            Duration.ofSeconds(45).plus(Duration.ofMillis(50L * jobs))).play(
                Scenario.clients(anonymous), McpDemo::waitUntil, queue::release,
                server::downstreamCalls, out);
        return report(rows, List.of(), out);
      }
    }
  }

  /** {@code demo worker}: one worker process of Redis mode (started by {@code demo run}). */
  @Command(name = "worker", description = "Run jobs from the Redis stream as their callers.")
  static final class Worker implements Callable<Integer> {
    @Option(names = "--store", required = true, description = "The snapshot store URI (Redis).")
    URI store = URI.create("redis://127.0.0.1:6379");

    @Option(names = "--run-id", required = true, description = "The demo run whose stream to read.")
    String runId = "";

    @Option(names = "--server", required = true, description = "The server (downstream API).")
    URI server = URI.create("http://127.0.0.1");

    @Option(names = "--name", required = true, description = "This worker's consumer name.")
    String name = "";

    @Option(names = "--claim-after-ms", defaultValue = "5000",
        description = "Claim a pending job idle this long (its worker died).")
    long claimAfterMillis = 5000;

    @Override
    public Integer call() throws Exception {
      logLibrariesToFile();
      try (TokenSnapshotStore snapshots = TokenSnapshotStores.open(store);
          RedisJobs jobs = new RedisJobs(store, runId)) {
        Baton baton = Baton.builder().store(snapshots)
            .lifespan(Map.of("app", "baton-mcp-demo (" + name + ")")).build();
        System.out.println("worker " + name + " ready");
        jobs.work(name, baton, server, Duration.ofMillis(claimAfterMillis));
      }
      return 0;
    }
  }

  /**
   * The Redis demo: the server here, {@code workers} worker processes, jobs on a Redis Stream.
   * Every key it writes expires, and the run's keys are deleted when it ends.
   *
   * @param killAWorker whether to kill -9 the worker of the first job that calls downstream,
   *     mid-call, so that another worker reclaims it
   * @return the exit code, as for {@link #runInMemory}
   */
  public static int runOnRedis(URI storeUri, int workers, int jobs, boolean anonymous,
      boolean killAWorker, PrintStream out) throws Exception {
    Clock clock = Clock.systemUTC();
    DemoIssuer issuer = DemoIssuer.create(clock);
    String runId = java.util.UUID.randomUUID().toString();
    try (TokenSnapshotStore store = TokenSnapshotStores.open(storeUri);
        RedisJobs redisJobs = new RedisJobs(storeUri, runId)) {
      try {
        Baton baton = Baton.builder().store(store).clock(clock)
            .lifespan(Map.of("app", "baton-mcp-demo")).build();
        return runOnRedis(baton, issuer, clock, redisJobs, storeUri, runId, workers, jobs,
            anonymous, killAWorker, out);
      } finally {
        redisJobs.removeRun();
      }
    }
  }

  private static int runOnRedis(Baton baton, DemoIssuer issuer, Clock clock, RedisJobs redisJobs,
      URI storeUri, String runId, int workers, int jobs, boolean anonymous, boolean killAWorker,
      PrintStream out) throws Exception {
    Duration claimAfter = Duration.ofSeconds(5);
    try (WorkerProcesses processes = new WorkerProcesses();
        ReportServer server =
            new ReportServer(baton, issuer, redisJobs.board(), redisJobs.queue(), anonymous)) {
      out.println("MCP server on " + server.mcpUri() + " (Redis stream, " + workers
          + " worker processes)");
      List<String> names = new java.util.ArrayList<>();
      for (int i = 1; i <= workers; i++) {
        names.add("worker-" + i);
      }
      List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
      ReportServer.DownstreamHold hold = killAWorker ? server.holdNextDownstreamCall() : null;
      Runnable startWorkers = () -> {
        for (String name : names) {
          try {
            processes.start(name, storeUri, runId, server.baseUri(), claimAfter);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
        if (hold != null) {
          Thread killer = new Thread(() -> killHeldWorker(hold, redisJobs, processes, notes),
              "worker-killer");
          killer.setDaemon(true);
          killer.start();
        }
      };
      List<Scenario.Row> rows = new Scenario(server.baseUri(), issuer, clock, jobs,
          Duration.ofSeconds(60).plus(Duration.ofMillis(50L * jobs))).play(
              Scenario.clients(anonymous), McpDemo::waitUntil, startWorkers,
              server::downstreamCalls, out);
      for (String name : names) {
        Process process = processes.process(name).orElse(null);
        if (process != null && !process.isAlive()) {
          notes.add(name + " died (exit code " + process.exitValue() + "); its pending job was "
              + "reclaimed by another worker after " + claimAfter.toSeconds() + " s idle");
        }
      }
      return report(rows, notes, out);
    }
  }

  /** Kills the worker whose downstream call is held, then lets the call answer. */
  private static void killHeldWorker(ReportServer.DownstreamHold hold, RedisJobs redisJobs,
      WorkerProcesses processes, List<String> notes) {
    try {
      if (!hold.awaitArrival(Duration.ofMinutes(2))) {
        notes.add("--kill-a-worker: no job called downstream; no worker killed");
        return;
      }
      String worker = redisJobs.workerOf(java.util.Objects.requireNonNull(hold.jobId()));
      Process process = worker == null ? null : processes.process(worker).orElse(null);
      if (process != null) {
        process.destroyForcibly();
        process.waitFor();
        notes.add("killed " + worker + " (kill -9) while its job was calling downstream");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      hold.release();
    }
  }

  static int report(List<Scenario.Row> rows, List<String> notes, PrintStream out) {
    out.println();
    notes.forEach(out::println);
    out.println("failed = not run: the caller's snapshot expired with their token (fail-closed).");
    out.println("no caller = ran without an identity (anonymous client, or token expired on read).");
    out.println("refused = the server refused the call (401, or the token expired before the tool "
        + "ran) while its client was still submitting: no job.");
    out.println("reclaimed = run again after its worker died; dup calls = downstream calls beyond "
        + "one per job.");
    out.println();
    Scenario.print(rows, out);
    int unfinished = rows.stream().mapToInt(Scenario.Row::unfinished).sum();
    return Scenario.wrongIdentities(rows) == 0 && unfinished == 0 ? 0 : 1;
  }

  /** Waits on the real clock: the demo lets a token really expire while its jobs wait. */
  private static void waitUntil(Instant instant) {
    long millis = Duration.between(Instant.now(), instant).toMillis();
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a token to expire", e);
      }
    }
  }
}
