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
 * {@code demo run}: starts the MCP report server with in-process workers, plays the {@link
 * Scenario} with real MCP clients, prints a table per client, and ends with
 * {@code wrong identities: N}. Exits non-zero when any job ran as someone else or never finished.
 *
 * <p>The same server across processes — worker JVMs, one killed mid-job and its job run again —
 * is {@code McpReportsDemo} in {@code examples/jobrunr-reports}: there JobRunr owns the queue,
 * the durable job state, the retries and the re-run of a dead worker's jobs, and {@code
 * BackgroundTool} gives the tools; this demo hand-writes none of that.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "An MCP server whose background jobs act as the calling client.",
    subcommands = {McpDemo.Run.class})
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
      description = "Start the server, run the clients, print who each job ran as.")
  static final class Run implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@org.jspecify.annotations.Nullable CommandSpec spec;

    @Option(names = "--store", defaultValue = "memory:local",
        description = "Snapshot store URI: memory:local or redis://HOST:PORT?sealingKeys=env:NAME."
            + " Default: ${DEFAULT-VALUE}")
    URI store = URI.create("memory:local");

    @Option(names = "--workers", defaultValue = "2",
        description = "Worker threads. Default: ${DEFAULT-VALUE}")
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
      CommandLine commandLine = java.util.Objects.requireNonNull(spec, "spec").commandLine();
      if (!"memory".equals(store.getScheme()) && !"redis".equals(store.getScheme())) {
        throw new CommandLine.ParameterException(commandLine,
            "--store must be memory:local or redis://HOST:PORT?sealingKeys=...: " + store);
      }
      Path log = logLibrariesToFile();
      System.out.println("(library logs: " + log + ")");
      return runInMemory(store, workers, jobs, anonymous, System.out);
    }
  }

  /**
   * The demo: one process, in-process workers, the snapshots in the store at {@code storeUri}.
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
        out.println("MCP server on " + server.mcpUri() + " (store " + storeUri.getScheme() + ", "
            + workers + " in-process workers)");
        List<Scenario.Row> rows = new Scenario(server.baseUri(), issuer, clock, jobs,
            Duration.ofSeconds(45).plus(Duration.ofMillis(50L * jobs))).play(
                Scenario.clients(anonymous), McpDemo::waitUntil, queue::release, out);
        return report(rows, out);
      }
    }
  }

  static int report(List<Scenario.Row> rows, PrintStream out) {
    out.println();
    out.println("failed = not run: the caller's snapshot expired with their token (fail-closed).");
    out.println("no caller = ran without an identity (anonymous client, or token expired on read).");
    out.println("refused = the server refused the call (401, or the token expired before the tool "
        + "ran) while its client was still submitting: no job.");
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
