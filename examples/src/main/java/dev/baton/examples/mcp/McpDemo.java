package dev.baton.examples.mcp;

import dev.baton.Baton;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

  /**
   * Baton warns once per job it refuses to run; the table already counts those (column
   * {@code failed}), so the demo keeps its console to the table.
   */
  private static final java.util.logging.Logger BATON_LOG =
      java.util.logging.Logger.getLogger("dev.baton");

  /** Runs {@code demo} with {@code args}; no subcommand means {@code run}. */
  public static void main(String[] args) {
    BATON_LOG.setLevel(java.util.logging.Level.SEVERE);
    String[] effective = args.length == 0 ? new String[] {"run"} : args;
    System.exit(new CommandLine(new McpDemo()).execute(effective));
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

    @Override
    public Integer call() throws Exception {
      if ("memory".equals(store.getScheme())) {
        return runInMemory(store, workers, jobs, anonymous, System.out);
      }
      if (!"redis".equals(store.getScheme())) {
        throw new CommandLine.ParameterException(
            java.util.Objects.requireNonNull(spec, "spec").commandLine(),
            "--store must be memory:local or redis://HOST:PORT?sealingKeys=...: " + store);
      }
      return runOnRedis(store, workers, jobs, anonymous, System.out);
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
            Duration.ofSeconds(45)).play(Scenario.clients(anonymous),
                McpDemo::waitUntil, queue::release, out);
        return report(rows, out);
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
      BATON_LOG.setLevel(java.util.logging.Level.SEVERE);
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
   *
   * @return the exit code, as for {@link #runInMemory}
   */
  public static int runOnRedis(URI storeUri, int workers, int jobs, boolean anonymous,
      PrintStream out) throws Exception {
    Clock clock = Clock.systemUTC();
    DemoIssuer issuer = DemoIssuer.create(clock);
    String runId = java.util.UUID.randomUUID().toString();
    try (TokenSnapshotStore store = TokenSnapshotStores.open(storeUri);
        RedisJobs redisJobs = new RedisJobs(storeUri, runId);
        WorkerProcesses processes = new WorkerProcesses()) {
      Baton baton = Baton.builder().store(store).clock(clock)
          .lifespan(Map.of("app", "baton-mcp-demo")).build();
      try (ReportServer server =
          new ReportServer(baton, issuer, redisJobs.board(), redisJobs.queue(), anonymous)) {
        out.println("MCP server on " + server.mcpUri() + " (Redis stream, " + workers
            + " worker processes)");
        Runnable startWorkers = () -> {
          for (int i = 1; i <= workers; i++) {
            try {
              processes.start("worker-" + i, storeUri, runId, server.baseUri(),
                  Duration.ofSeconds(5));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
        List<Scenario.Row> rows = new Scenario(server.baseUri(), issuer, clock, jobs,
            Duration.ofSeconds(60)).play(Scenario.clients(anonymous),
                McpDemo::waitUntil, startWorkers, out);
        return report(rows, out);
      }
    }
  }

  static int report(List<Scenario.Row> rows, PrintStream out) {
    out.println();
    out.println("failed = not run: the caller's snapshot expired with their token (fail-closed).");
    out.println("no caller = ran without an identity (anonymous client, or token expired on read).");
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
