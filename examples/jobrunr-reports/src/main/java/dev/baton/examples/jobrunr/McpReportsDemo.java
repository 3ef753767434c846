package dev.baton.examples.jobrunr;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.jobrunr.BatonJobFilter;
import dev.baton.mcp.BackgroundTool;
import dev.baton.mcp.BearerTokenFilter;
import dev.baton.mcp.McpCaller;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobrunr.jobs.states.StateName;
import org.jspecify.annotations.Nullable;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.context.JobContext;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/**
 * The MCP demo across processes: MCP clients start report jobs through a background tool ({@link
 * BackgroundTool}); this JVM serves MCP and creates the jobs, two worker JVMs run them on JobRunr,
 * and each job calls a downstream API (served here) with its caller's token. The first downstream
 * call is held and its worker killed ({@code kill -9}) mid-call: JobRunr finds the job orphaned and
 * runs it again on the other worker, still as its caller. Each client reads its own jobs' status
 * and results with {@code report_status}, and gets "no such job" for another's. Prints a
 * per-caller table (with the re-run jobs and the downstream calls beyond one per job) ending with
 * {@code wrong identities: N}; exits 1 unless N is 0.
 */
public final class McpReportsDemo {
  private static final int REPORTS_PER_CALLER = 4;
  private static final List<String> CALLERS = List.of("alice", "bob", "carol");
  private static final List<String> WORKERS = List.of("worker-1", "worker-2");

  private McpReportsDemo() {}

  public static void main(String[] args) throws Exception {
    Setup.quietLogs();
    int wrong = run(System.out);
    System.exit(wrong == 0 ? 0 : 1);
  }

  /** Runs the demo, printing to {@code out}; returns the number of wrong identities. */
  static int run(PrintStream out) throws Exception {
    Path work = Files.createTempDirectory("baton-mcp-jobrunr-demo");
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(work.resolve("pg")).setPort(JobRunrReportsDemo.freePort())
        .setServerConfig("listen_addresses", "127.0.0.1").start();
    Map<String, Process> workers = new LinkedHashMap<>();
    Server jetty = null;
    List<McpSyncClient> clients = new ArrayList<>();
    try (HikariDataSource database = Setup.database(
        "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres")) {
      JobRunrReportsDemo.execute(database,
          "CREATE TABLE reports (id text, created_for text, ran_as text)");
      Path keyRing = work.resolve("keys.txt");
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(keyRing, "k1:" + Base64.getEncoder().encodeToString(key));
      Baton baton = Setup.baton(database, keyRing);
      PostgresStorageProvider storage = new PostgresStorageProvider(database);
      JobScheduler jobs = JobRunr.configure() // this JVM serves MCP and creates jobs, runs none
          .useStorageProvider(storage)
          .withJobFilter(BatonJobFilter.of(baton))
          .initialize().getJobScheduler();

      Map<String, String> tokens = new LinkedHashMap<>(); // bearer token -> subject
      for (String caller : CALLERS) {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        tokens.put("demo-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
            caller);
      }
      Downstream downstream = new Downstream(tokens);
      jetty = serve(baton, jobs, storage, database, tokens, downstream);
      String base = "http://127.0.0.1:"
          + ((NetworkConnector) jetty.getConnectors()[0]).getLocalPort();
      for (String name : WORKERS) {
        workers.put(name, JobRunrReportsDemo.startWorker(database.getJdbcUrl(), keyRing,
            work.resolve(name + ".log"), name, base));
      }
      List<String> notes = new CopyOnWriteArrayList<>();
      Thread killer = new Thread(() -> killHeldWorker(downstream, workers, notes), "killer");
      killer.setDaemon(true);
      killer.start();

      List<McpSyncClient> clientOf = new ArrayList<>(); // in the order of CALLERS
      tokens.keySet().forEach(token -> clientOf.add(client(base, token)));
      clients.addAll(clientOf);

      List<List<String>> started = new ArrayList<>(); // job ids, in the order of CALLERS
      CALLERS.forEach(caller -> started.add(new ArrayList<>()));
      for (int i = 0; i < REPORTS_PER_CALLER; i++) { // interleaved: alice, bob, carol, alice ...
        for (int c = 0; c < CALLERS.size(); c++) {
          started.get(c).add(start(clientOf.get(c), CALLERS.get(c) + "-" + i));
        }
      }

      List<String> rows = new ArrayList<>();
      int wrong = 0;
      for (int c = 0; c < CALLERS.size(); c++) {
        String caller = CALLERS.get(c);
        McpSyncClient client = clientOf.get(c);
        int itself = 0;
        int other = 0;
        int seen = 0;
        int runAgain = 0;
        int duplicateCalls = 0;
        for (String jobId : started.get(c)) {
          List<String> answer = awaitFinal(client, jobId, workers.values());
          if (answer.equals(List.of("SUCCEEDED", "ran as " + caller))) {
            itself++;
          } else {
            other++;
          }
          if (storage.getJobById(UUID.fromString(jobId)).getJobStates().stream()
              .filter(state -> state.getName() == StateName.PROCESSING).count() > 1) {
            runAgain++;
          }
          duplicateCalls += Math.max(0, downstream.calls(jobId) - 1);
        }
        for (String theirs : started.get((c + 1) % CALLERS.size())) { // the next caller's jobs
          if (!Boolean.TRUE.equals(status(client, theirs).isError())) {
            seen++;
          }
        }
        wrong += other + seen;
        rows.add(String.format("%-8s %7d %10d %15d %17d %9d %9d", caller,
            started.get(c).size(), itself, other, seen, runAgain, duplicateCalls));
      }
      notes.forEach(out::println);
      out.println("run again = run again by JobRunr after its worker died; dup calls = "
          + "downstream calls beyond one per job.");
      out.printf("%-8s %7s %10s %15s %17s %9s %9s%n", "caller", "started", "as itself",
          "as someone else", "others' job seen", "run again", "dup calls");
      rows.forEach(out::println);
      out.println("wrong identities: " + wrong);
      return wrong;
    } finally {
      clients.forEach(McpSyncClient::closeGracefully);
      if (jetty != null) {
        jetty.stop();
      }
      for (Process worker : workers.values()) {
        worker.destroyForcibly().waitFor();
      }
      JobRunr.destroy();
      postgres.close();
      try (var paths = Files.walk(work)) {
        paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /**
   * Waits for the held downstream call, kills ({@code kill -9}) the worker JVM making it, then
   * lets the call answer: the call reached the API, the worker never learned it did.
   */
  private static void killHeldWorker(Downstream downstream, Map<String, Process> workers,
      List<String> notes) {
    try {
      String worker = downstream.awaitHeldCall(Duration.ofMinutes(3));
      Process process = worker == null ? null : workers.get(worker);
      if (process == null) {
        notes.add("no job called downstream from a known worker: no worker killed");
        return;
      }
      process.destroyForcibly();
      int exit = process.waitFor();
      notes.add("killed " + worker + " (kill -9, exit code " + exit + ") while its job was calling"
          + " downstream; JobRunr ran its unfinished jobs again on another worker");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      downstream.release();
    }
  }

  /**
   * The API a job calls as its caller: verifies the bearer token, answers the subject, counts the
   * calls per job. Holds the first call until {@link #release()}, so that the demo can kill its
   * worker mid-call without timing guesses.
   */
  private static final class Downstream extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, String> tokens;
    private final transient ConcurrentMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final transient AtomicBoolean holding = new AtomicBoolean(true);
    private final transient CountDownLatch arrived = new CountDownLatch(1);
    private final transient CountDownLatch released = new CountDownLatch(1);
    private transient volatile @Nullable String heldWorker;

    Downstream(Map<String, String> tokens) {
      this.tokens = Map.copyOf(tokens);
    }

    int calls(String jobId) {
      AtomicInteger count = calls.get(jobId);
      return count == null ? 0 : count.get();
    }

    /** The worker whose call is held, once one is; null if none came within {@code timeout}. */
    @Nullable String awaitHeldCall(Duration timeout) throws InterruptedException {
      return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? heldWorker : null;
    }

    void release() {
      released.countDown();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String header = request.getHeader("Authorization");
      String subject = header == null || !header.startsWith("Bearer ")
          ? null : tokens.get(header.substring("Bearer ".length()));
      String job = request.getParameter("job");
      if (subject == null || job == null) {
        response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
        return;
      }
      if (holding.compareAndSet(true, false)) {
        heldWorker = request.getParameter("worker");
        arrived.countDown();
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      calls.computeIfAbsent(job, j -> new AtomicInteger()).incrementAndGet();
      try {
        response.setContentType("text/plain");
        response.getOutputStream().write(subject.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The held call's worker was killed: the call counted, nobody reads the answer.
      }
    }
  }

  /** The MCP server: start_report and report_status, each caller by its bearer token. */
  private static Server serve(Baton baton, JobScheduler jobs, PostgresStorageProvider storage,
      DataSource database, Map<String, String> tokens, Downstream downstream) throws Exception {
    var transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint("/mcp").contextExtractor(McpCaller.contextExtractor()).build();
    McpServer.sync(transport)
        .capabilities(ServerCapabilities.builder().tools(false).build())
        .tools(BackgroundTool.builder("report", baton, jobs, storage)
            .job(args -> {
              String name = String.valueOf(args.get("id"));
              return () -> Reports.generateAs(name, JobContext.Null);
            })
            .result(jobId -> resultOf(database, jobId))
            .build())
        .build();
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder mcp = new ServletHolder(transport);
    mcp.setAsyncSupported(true);
    context.addServlet(mcp, "/mcp");
    context.addServlet(new ServletHolder(downstream), "/downstream/report");
    FilterHolder bearer = new FilterHolder(BearerTokenFilter.builder(token -> {
      String subject = tokens.get(token);
      if (subject == null) {
        throw new IllegalArgumentException("unknown token");
      }
      return new AccessToken(token, "reports-web", List.of("reports:write"),
          Instant.now().plus(Duration.ofHours(1)), null, Map.of("sub", subject));
    }).build());
    bearer.setAsyncSupported(true);
    context.addFilter(bearer, "/mcp", EnumSet.of(DispatcherType.REQUEST));
    Server jetty = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    jetty.setHandler(context);
    jetty.start();
    return jetty;
  }

  /** Whom the job ran as, as its result: read from the reports table by job id. */
  private static Optional<String> resultOf(DataSource database, UUID jobId) {
    try (Connection c = database.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT ran_as FROM reports WHERE id = ?")) {
      s.setString(1, jobId.toString());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of("ran as " + rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the result of job " + jobId, e);
    }
  }

  private static McpSyncClient client(String base, String token) {
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(base)
            .endpoint("/mcp")
            .addHttpRequestCustomizer((request, method, uri, body, context) ->
                request.setHeader("Authorization", "Bearer " + token))
            .build())
        .requestTimeout(Duration.ofSeconds(30)).build();
    client.initialize();
    return client;
  }

  private static String start(McpSyncClient client, String id) {
    CallToolResult result = client.callTool(
        CallToolRequest.builder("start_report").arguments(Map.of("id", id)).build());
    if (Boolean.TRUE.equals(result.isError())) {
      throw new IllegalStateException("start_report failed: " + texts(result));
    }
    return texts(result).get(0);
  }

  private static CallToolResult status(McpSyncClient client, String jobId) {
    return client.callTool(
        CallToolRequest.builder("report_status").arguments(Map.of("job_id", jobId)).build());
  }

  private static List<String> awaitFinal(McpSyncClient client, String jobId,
      Collection<Process> workers) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (true) {
      List<String> answer = texts(status(client, jobId));
      if ((answer.get(0).equals("SUCCEEDED") && answer.size() > 1)
          || answer.get(0).equals("FAILED")) {
        return answer;
      }
      if (workers.stream().noneMatch(Process::isAlive) || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("every worker JVM stopped or job " + jobId
            + " did not finish: " + answer);
      }
      Thread.sleep(200);
    }
  }

  private static List<String> texts(CallToolResult result) {
    return result.content().stream().map(c -> ((McpSchema.TextContent) c).text()).toList();
  }
}
