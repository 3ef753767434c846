package dev.baton.examples.mcp;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * The scenario {@code demo run} plays against a running {@link ReportServer}: several MCP clients,
 * each with its own token, submit report jobs concurrently while the workers are held; one client's
 * token expires while its jobs wait; then the workers drain the queue and every job's outcome is
 * checked against the client that submitted it.
 */
public final class Scenario {
  /** How long the short-lived client's token lives: long enough to submit, not to be run. */
  public static final Duration SHORT_VALIDITY = Duration.ofSeconds(3);

  /** The status recorded for a job its caller's server no longer knows: counted unfinished. */
  private static final String UNKNOWN = "unknown to its caller";

  /** One client of the scenario; {@code subject} null for the anonymous client. */
  public record Client(String name, @Nullable String subject, String clientId,
      @Nullable Duration validity) {}

  /**
   * What happened to one client's jobs: {@code submitted} calls of {@code start_report}, of which
   * the server {@code refused} some (401: the token had expired); each accepted job ran as its
   * caller, with no caller, failed, ran as someone else, or never finished.
   */
  public record Row(String client, int submitted, int refused, int ranAsItself,
      int ranWithNoCaller, int failed, int ranAsSomeoneElse, int unfinished) {}

  /** The job ids a client's server accepted, and how many submissions it refused. */
  private record Submitted(List<String> jobIds, int refused) {}

  private final URI server;
  private final DemoIssuer issuer;
  private final Clock clock;
  private final int jobsPerClient;
  private final Duration drainTimeout;

  /**
   * @param server the server's base URI
   * @param issuer issues the clients' tokens (the server's issuer)
   * @param clock the issuer's clock
   * @param jobsPerClient jobs each client submits
   * @param drainTimeout how long to wait for the queue to drain before reporting jobs unfinished
   */
  public Scenario(URI server, DemoIssuer issuer, Clock clock, int jobsPerClient,
      Duration drainTimeout) {
    this.server = Objects.requireNonNull(server, "server");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (jobsPerClient < 1) {
      throw new IllegalArgumentException("jobsPerClient must be at least 1: " + jobsPerClient);
    }
    this.jobsPerClient = jobsPerClient;
    this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
  }

  /** The scenario's clients: three users, one of them short-lived, and an anonymous one if allowed. */
  public static List<Client> clients(boolean withAnonymous) {
    List<Client> clients = new ArrayList<>(List.of(
        new Client("alice", "alice", "web-app", Duration.ofHours(1)),
        new Client("bob", "bob", "cli", Duration.ofHours(1)),
        new Client("carol (token expires in the queue)", "carol", "web-app", SHORT_VALIDITY)));
    if (withAnonymous) {
      clients.add(new Client("anonymous", null, "-", null));
    }
    return clients;
  }

  /**
   * Plays the scenario.
   *
   * @param clients who submits
   * @param passTime called with the instant the short-lived tokens expire; returns once the clock
   *     has passed it (the demo waits; tests advance a test clock)
   * @param releaseWorkers lets the held workers start
   * @param out where the progress bar goes
   * @return a row per client, in order
   */
  public List<Row> play(List<Client> clients, Consumer<Instant> passTime, Runnable releaseWorkers,
      PrintStream out) throws Exception {
    Map<Client, DemoClient> connected = new LinkedHashMap<>();
    Instant shortestExpiry = null;
    try {
      for (Client client : clients) {
        String token = null;
        if (client.subject() != null) {
          Duration validity = Objects.requireNonNull(client.validity(), "validity");
          token = issuer.issue(client.subject(), client.clientId(), validity);
          Instant expiry = clock.instant().plus(validity);
          if (validity.compareTo(Duration.ofMinutes(1)) < 0
              && (shortestExpiry == null || expiry.isAfter(shortestExpiry))) {
            shortestExpiry = expiry;
          }
        }
        connected.put(client, new DemoClient(server, token));
      }
      Map<Client, Submitted> jobs = submitConcurrently(connected);
      if (shortestExpiry != null) {
        passTime.accept(shortestExpiry.plusSeconds(1));
      }
      // Clients whose token expired refresh it to ask about their jobs: same client and subject,
      // so the same caller, and the server answers them.
      for (var entry : connected.entrySet()) {
        Client client = entry.getKey();
        if (client.subject() != null) {
          entry.getValue().useToken(issuer.issue(client.subject(), client.clientId(),
              Duration.ofHours(1)));
        }
      }
      releaseWorkers.run();
      return drain(connected, jobs, out);
    } finally {
      connected.values().forEach(DemoClient::close);
    }
  }

  private Map<Client, Submitted> submitConcurrently(Map<Client, DemoClient> connected)
      throws Exception {
    ExecutorService submitters = Executors.newFixedThreadPool(connected.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      Map<Client, Future<Submitted>> futures = new LinkedHashMap<>();
      for (var entry : connected.entrySet()) {
        futures.put(entry.getKey(), submitters.submit(() -> {
          start.await();
          List<String> ids = new ArrayList<>();
          int refused = 0;
          for (int i = 0; i < jobsPerClient; i++) {
            var id = entry.getValue().startReport("report " + (i + 1));
            if (id.isPresent()) {
              ids.add(id.get());
            } else {
              refused++;
            }
          }
          return new Submitted(ids, refused);
        }));
      }
      start.countDown();
      Map<Client, Submitted> jobs = new LinkedHashMap<>();
      for (var entry : futures.entrySet()) {
        jobs.put(entry.getKey(), entry.getValue().get(10, TimeUnit.MINUTES));
      }
      return jobs;
    } finally {
      submitters.shutdownNow();
    }
  }

  private List<Row> drain(Map<Client, DemoClient> connected, Map<Client, Submitted> jobs,
      PrintStream out) throws InterruptedException {
    int total = jobs.values().stream().mapToInt(s -> s.jobIds().size()).sum();
    Map<String, Map<String, Object>> finished = new LinkedHashMap<>();
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("jobs").setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
        .setUpdateIntervalMillis(100).build()) {
      while (finished.size() < total && System.nanoTime() < deadline) {
        for (var entry : jobs.entrySet()) {
          DemoClient client = Objects.requireNonNull(connected.get(entry.getKey()), "client");
          for (String id : entry.getValue().jobIds()) {
            if (!finished.containsKey(id)) {
              Map<String, Object> status;
              try {
                status = client.reportStatus(id);
              } catch (io.modelcontextprotocol.spec.McpError e) {
                // The server does not know the job for this caller: report it, never crash.
                status = Map.of("status", UNKNOWN);
                finished.put(id, status);
                bar.step();
                continue;
              }
              if (JobBoard.DONE.equals(status.get("status"))
                  || JobBoard.FAILED.equals(status.get("status"))) {
                finished.put(id, status);
                bar.step();
              }
            }
          }
        }
        if (finished.size() < total) {
          Thread.sleep(50); // poll interval of a client waiting for its reports
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (var entry : jobs.entrySet()) {
      Client client = entry.getKey();
      String expected = client.subject() == null ? JobBoard.NO_CALLER : client.subject();
      int itself = 0;
      int noCaller = 0;
      int failed = 0;
      int someoneElse = 0;
      int unfinished = 0;
      for (String id : entry.getValue().jobIds()) {
        Map<String, Object> status = finished.get(id);
        if (status == null || UNKNOWN.equals(status.get("status"))) {
          unfinished++;
        } else if (JobBoard.FAILED.equals(status.get("status"))) {
          failed++;
        } else if (JobBoard.NO_CALLER.equals(status.get("ran_as"))) {
          noCaller++;
        } else if (expected.equals(status.get("ran_as"))) {
          itself++;
        } else {
          someoneElse++;
        }
      }
      Submitted submitted = entry.getValue();
      rows.add(new Row(client.name(), submitted.jobIds().size() + submitted.refused(),
          submitted.refused(), itself, noCaller, failed, someoneElse, unfinished));
    }
    return rows;
  }

  /** Prints the table; its last line is {@code wrong identities: N}. */
  public static void print(List<Row> rows, PrintStream out) {
    String format = "%-36s %9s %7s %9s %9s %6s %15s %10s%n";
    out.printf(format, "client", "submitted", "refused", "as itself", "no caller", "failed",
        "as someone else", "unfinished");
    for (Row row : rows) {
      out.printf(format, row.client(), row.submitted(), row.refused(), row.ranAsItself(),
          row.ranWithNoCaller(), row.failed(), row.ranAsSomeoneElse(), row.unfinished());
    }
    out.println("wrong identities: " + wrongIdentities(rows));
  }

  /** Jobs that ran as someone other than their submitter: must be zero. */
  public static int wrongIdentities(List<Row> rows) {
    return rows.stream().mapToInt(Row::ranAsSomeoneElse).sum();
  }
}
