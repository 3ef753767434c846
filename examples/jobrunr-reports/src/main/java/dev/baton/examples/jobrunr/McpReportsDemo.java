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
import java.io.File;
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
 * The same report jobs, started by MCP clients through a background tool ({@link BackgroundTool}):
 * this JVM serves MCP and creates the jobs, a second JVM runs them, and each client reads its own
 * jobs' status and results with {@code report_status} — and gets "no such job" for another's.
 * Prints a per-caller table ending with {@code wrong identities: N}; exits 1 unless N is 0.
 */
public final class McpReportsDemo {
  private static final int REPORTS_PER_CALLER = 4;
  private static final List<String> CALLERS = List.of("alice", "bob", "carol");

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
    Process worker = null;
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
      worker = JobRunrReportsDemo.startWorker(database.getJdbcUrl(), keyRing,
          work.resolve("worker.log"));

      Map<String, String> tokens = new LinkedHashMap<>(); // bearer token -> subject
      for (String caller : CALLERS) {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        tokens.put("demo-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
            caller);
      }
      jetty = serve(baton, jobs, storage, database, tokens);
      String base = "http://127.0.0.1:"
          + ((NetworkConnector) jetty.getConnectors()[0]).getLocalPort();
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

      out.printf("%-8s %7s %10s %15s %17s%n", "caller", "started", "as itself",
          "as someone else", "others' job seen");
      int wrong = 0;
      for (int c = 0; c < CALLERS.size(); c++) {
        String caller = CALLERS.get(c);
        McpSyncClient client = clientOf.get(c);
        int itself = 0;
        int other = 0;
        int seen = 0;
        for (String jobId : started.get(c)) {
          List<String> answer = awaitFinal(client, jobId, worker);
          if (answer.equals(List.of("SUCCEEDED", "ran as " + caller))) {
            itself++;
          } else {
            other++;
          }
        }
        for (String theirs : started.get((c + 1) % CALLERS.size())) { // the next caller's jobs
          if (!Boolean.TRUE.equals(status(client, theirs).isError())) {
            seen++;
          }
        }
        wrong += other + seen;
        out.printf("%-8s %7d %10d %15d %17d%n", caller, started.get(c).size(), itself,
            other, seen);
      }
      out.println("wrong identities: " + wrong);
      return wrong;
    } finally {
      clients.forEach(McpSyncClient::closeGracefully);
      if (jetty != null) {
        jetty.stop();
      }
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

  /** The MCP server: start_report and report_status, each caller by its bearer token. */
  private static Server serve(Baton baton, JobScheduler jobs, PostgresStorageProvider storage,
      DataSource database, Map<String, String> tokens) throws Exception {
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

  private static List<String> awaitFinal(McpSyncClient client, String jobId, Process worker)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (true) {
      List<String> answer = texts(status(client, jobId));
      if ((answer.get(0).equals("SUCCEEDED") && answer.size() > 1)
          || answer.get(0).equals("FAILED")) {
        return answer;
      }
      if (!worker.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the worker JVM stopped or job " + jobId
            + " did not finish: " + answer);
      }
      Thread.sleep(200);
    }
  }

  private static List<String> texts(CallToolResult result) {
    return result.content().stream().map(c -> ((McpSchema.TextContent) c).text()).toList();
  }
}
