package dev.baton.examples.mcp;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.mcp.BearerTokenFilter;
import dev.baton.mcp.McpCaller;
import dev.baton.mcp.McpCallerBinding;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.jspecify.annotations.Nullable;

/**
 * The demo's MCP server: Streamable HTTP on embedded Jetty (loopback only), bearer tokens verified
 * by {@link DemoIssuer}, two tools, a downstream API, and a {@link JobQueue} that runs each report as
 * the caller who asked for it.
 *
 * <ul>
 *   <li>{@code start_report(topic)} captures the caller ({@code baton.capture()}, with no plumbing:
 *       {@link McpCallerBinding} bound the caller for the tool call), queues the job and returns its
 *       id at once;
 *   <li>{@code report_status(job_id)} answers only the caller who started the job (same client and
 *       subject); any other caller gets an MCP error, exactly as for an unknown id;
 *   <li>{@code GET /downstream/report} verifies the bearer token and records the subject it saw.
 * </ul>
 */
public final class ReportServer implements AutoCloseable {
  /** The longest topic {@code start_report} accepts. */
  public static final int MAX_TOPIC_LENGTH = 200;
  /** The largest JSON-RPC request body the MCP endpoint reads. */
  public static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final Baton baton;
  private final DemoIssuer issuer;
  private final JobBoard board;
  private final JobQueue queue;
  private final Server jetty;
  private final McpSyncServer mcp;
  private final ConcurrentMap<String, String> downstreamSightings = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, java.util.concurrent.atomic.AtomicInteger> downstreamCalls =
      new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI baseUri;

  /**
   * Starts the server on a free loopback port.
   *
   * @param baton the Baton on the job store
   * @param issuer verifies bearer tokens
   * @param board where job states live
   * @param queue where jobs go; it calls back {@link #runJob} on a worker
   * @param allowAnonymous whether a request without a token may call tools
   */
  public ReportServer(Baton baton, DemoIssuer issuer, JobBoard board, JobQueue queue,
      boolean allowAnonymous) throws Exception {
    this.baton = Objects.requireNonNull(baton, "baton");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.board = Objects.requireNonNull(board, "board");
    this.queue = Objects.requireNonNull(queue, "queue");

    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .mcpEndpoint("/mcp")
            .maxRequestSize(MAX_REQUEST_BYTES)
            .contextExtractor(McpCaller.contextExtractor())
            .build();
    McpCallerBinding binding = McpCallerBinding.of(baton);
    this.mcp = McpServer.sync(transport)
        .serverInfo("baton-reports", "0.1.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(binding.bind(startReportTool()), binding.bind(reportStatusTool()))
        .build();

    ServletContextHandler context = new ServletContextHandler();
    ServletHolder mcpHolder = new ServletHolder(transport);
    mcpHolder.setAsyncSupported(true);
    context.addServlet(mcpHolder, "/mcp");
    BearerTokenFilter filter = allowAnonymous
        ? BearerTokenFilter.allowingAnonymous(issuer::verify)
        : BearerTokenFilter.requiring(issuer::verify);
    FilterHolder filterHolder = new FilterHolder(filter);
    filterHolder.setAsyncSupported(true);
    context.addFilter(filterHolder, "/mcp", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new DownstreamServlet()), "/downstream/report");

    this.jetty = new Server(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
    jetty.setHandler(context);
    jetty.start();
    int port = ((org.eclipse.jetty.server.NetworkConnector) jetty.getConnectors()[0]).getLocalPort();
    this.baseUri = URI.create("http://127.0.0.1:" + port);
    queue.start(job -> runJob(baton, board, baseUri, http, job));
  }

  /** The MCP endpoint, for clients. */
  public URI mcpUri() {
    return baseUri.resolve("/mcp");
  }

  /** The server's base URI. */
  public URI baseUri() {
    return baseUri;
  }

  /** The subject the downstream API saw for each job id ({@code "-"} for no token). */
  public Map<String, String> downstreamSightings() {
    return Map.copyOf(downstreamSightings);
  }

  /** How many verified calls the downstream API answered for {@code jobId}. */
  public int downstreamCalls(String jobId) {
    var calls = downstreamCalls.get(jobId);
    return calls == null ? 0 : calls.get();
  }

  // ------------------------------------------------------------------------------------ tools

  private SyncToolSpecification startReportTool() {
    McpSchema.Tool tool = McpSchema.Tool.builder("start_report", Map.of(
            "type", "object",
            "properties", Map.of("topic", Map.of("type", "string", "maxLength", MAX_TOPIC_LENGTH)),
            "required", List.of("topic"),
            "additionalProperties", false))
        .description("Starts a report on a topic in the background; returns its job id at once.")
        .build();
    return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
      String topic = topic(request);
      // The key is scoped to the caller read here: should the token expire before the snapshot
      // is written, the job still belongs to this caller (and runs with no caller, fail-closed).
      AccessToken caller = Baton.currentToken().orElse(null);
      if (caller == null && McpCaller.from(exchange.transportContext()).isPresent()) {
        throw McpError.builder(McpSchema.ErrorCodes.INVALID_REQUEST)
            .message(McpCallerBinding.EXPIRED_MESSAGE).build();
      }
      TaskKey key = baton.capture(TaskKey.random(caller));
      String jobId = UUID.randomUUID().toString();
      board.queued(jobId, key.scope());
      queue.submit(new Job(jobId, key.encoded(), topic));
      return CallToolResult.builder()
          .structuredContent(Map.of("job_id", jobId, "status", JobBoard.QUEUED))
          .addTextContent(jobId)
          .build();
    }).build();
  }

  private SyncToolSpecification reportStatusTool() {
    McpSchema.Tool tool = McpSchema.Tool.builder("report_status", Map.of(
            "type", "object",
            "properties", Map.of("job_id", Map.of("type", "string", "maxLength", 64)),
            "required", List.of("job_id"),
            "additionalProperties", false))
        .description("The status and result of a report job you started.")
        .build();
    return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
      Object jobId = request.arguments() == null ? null : request.arguments().get("job_id");
      if (!(jobId instanceof String id) || id.length() > 64) {
        throw invalidParams("job_id must be a string of at most 64 chars");
      }
      String callerScope = TaskKey.callerScope(Baton.currentToken().orElse(null));
      Map<String, String> status = board.status(id);
      // An unknown id and another caller's id get the same answer: no probing for job ids.
      if (status == null || !callerScope.equals(status.get(JobBoard.OWNER))) {
        throw invalidParams("no such job for this caller");
      }
      Map<String, Object> answer = new LinkedHashMap<>(status);
      answer.remove(JobBoard.OWNER);
      answer.put("job_id", id);
      return CallToolResult.builder().structuredContent(answer)
          .addTextContent(String.valueOf(answer.get("status"))).build();
    }).build();
  }

  private static String topic(CallToolRequest request) {
    Object topic = request.arguments() == null ? null : request.arguments().get("topic");
    if (!(topic instanceof String text) || text.isBlank()) {
      throw invalidParams("topic must be a non-blank string");
    }
    if (text.length() > MAX_TOPIC_LENGTH) {
      throw invalidParams("topic must be at most " + MAX_TOPIC_LENGTH + " chars");
    }
    return text;
  }

  private static McpError invalidParams(String message) {
    return McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(message).build();
  }

  // ------------------------------------------------------------------------------------ the job

  /**
   * Runs one job as its caller, on the worker thread calling this; records the outcome on the
   * board.
   */
  public static void runJob(Baton baton, JobBoard board, URI downstream, HttpClient http, Job job) {
    board.running(job.id());
    try {
      baton.run(TaskKey.parse(job.encodedKey()), () -> report(board, downstream, http, job));
    } catch (RuntimeException e) {
      board.failed(job.id(), e.getClass().getSimpleName());
    }
  }

  /** The job body: knows nothing of MCP or requests; finds its caller with Baton alone. */
  private static void report(JobBoard board, URI downstream, HttpClient http, Job job) {
    @Nullable AccessToken caller = Baton.currentToken().orElse(null);
    Object app = TaskContext.current().orElseThrow().lifespan().get("app");
    if (caller == null) {
      board.done(job.id(), JobBoard.NO_CALLER, String.valueOf(app));
      return;
    }
    HttpRequest request = HttpRequest.newBuilder(
            downstream.resolve("/downstream/report?job=" + job.id()))
        .header("Authorization", "Bearer " + caller.token())
        .GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        board.failed(job.id(), "downstream answered " + response.statusCode());
        return;
      }
      board.done(job.id(), response.body(), String.valueOf(app));
    } catch (IOException e) {
      board.failed(job.id(), "downstream unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      board.failed(job.id(), "interrupted");
    }
  }

  /** The API a job calls as its caller: verifies the bearer token, records whom it saw. */
  private final class DownstreamServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String header = request.getHeader("Authorization");
      String job = request.getParameter("job");
      AccessToken caller;
      try {
        if (header == null || !header.startsWith("Bearer ") || job == null) {
          throw new IllegalArgumentException("no bearer token");
        }
        caller = issuer.verify(header.substring("Bearer ".length()));
      } catch (IllegalArgumentException e) {
        response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
        return;
      }
      String subject = Objects.requireNonNullElse(caller.subject(), "-");
      downstreamSightings.put(job, subject);
      downstreamCalls.computeIfAbsent(job, j -> new java.util.concurrent.atomic.AtomicInteger())
          .incrementAndGet();
      response.setContentType("text/plain");
      response.getOutputStream().write(subject.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() throws Exception {
    mcp.closeGracefully();
    jetty.stop();
    queue.close();
  }
}
