package dev.baton.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.jobrunr.BatonJobFilter;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link BackgroundTool} on a real JobRunr (its in-memory storage, its background job server)
 * behind a real MCP server over HTTP, driven by the MCP Java SDK's client.
 */
class BackgroundToolTest {
  private static final Logger JOBRUNR_LOGGER = Logger.getLogger("org.jobrunr");
  private static final List<LogRecord> JOBRUNR_RECORDS = new CopyOnWriteArrayList<>();
  private static final Handler JOBRUNR_LOGS = new Handler() {
    @Override
    public void publish(LogRecord record) {
      JOBRUNR_RECORDS.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private static final Instant EXPIRES = Instant.now().plus(Duration.ofMinutes(10));

  static Map<String, ?> claimsOf(String token) {
    return switch (token) {
      case "token-alice" -> Map.of("sub", "alice", "client_id", "app");
      case "token-bob" -> Map.of("sub", "bob", "client_id", "app");
      case "token-alice-expiring" ->
          Map.of("sub", "alice", "client_id", "app", "exp", EXPIRES.getEpochSecond());
      default -> throw new IllegalArgumentException("unknown token");
    };
  }

  private static final MovableClock clock = new MovableClock();
  private static TokenSnapshotStore store;
  /** While set, every save fails as a store that is down would. */
  private static final java.util.concurrent.atomic.AtomicBoolean storeDown =
      new java.util.concurrent.atomic.AtomicBoolean();
  private static StorageProvider storage;
  private static Server jetty;
  private static String base;
  private final List<McpSyncClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    // JobRunr's lines (INFO, and SEVERE for the job that fails closed on purpose) stay off the
    // console; they are kept in JOBRUNR_LOGS.
    JOBRUNR_LOGGER.setUseParentHandlers(false);
    JOBRUNR_LOGGER.addHandler(JOBRUNR_LOGS);
    store = TokenSnapshotStores.open(URI.create("memory:background"));
    Baton baton = Baton.builder().store(new SwitchableStore(store)).clock(clock).build();
    storage = new InMemoryStorageProvider();
    JobScheduler jobScheduler = JobRunr.configure()
        .useStorageProvider(storage)
        .withJobFilter(BatonJobFilter.of(baton))
        .useBackgroundJobServer(BackgroundJobServerConfiguration
            .usingStandardBackgroundJobServerConfiguration()
            .andPollInterval(Duration.ofMillis(200)).andWorkerCount(2))
        .initialize()
        .getJobScheduler();

    var transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint("/mcp")
        .contextExtractor(McpCaller.contextExtractor())
        .build();
    McpServer.sync(transport)
        .capabilities(ServerCapabilities.builder().tools(false).build())
        .tools(ReportTools.of(baton, jobScheduler, storage, new Reports())) // the README's lines
        .build();
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder mcp = new ServletHolder(transport);
    mcp.setAsyncSupported(true);
    context.addServlet(mcp, "/mcp");
    FilterHolder bearer = new FilterHolder(
        BearerTokenFilter.builderForClaims(BackgroundToolTest::claimsOf).allowAnonymous().build());
    bearer.setAsyncSupported(true);
    context.addFilter(bearer, "/mcp", EnumSet.of(DispatcherType.REQUEST));
    jetty = new Server(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    jetty.setHandler(context);
    jetty.start();
    base = "http://127.0.0.1:" + ((NetworkConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    jetty.stop();
    JobRunr.destroy();
    store.close();
    JOBRUNR_LOGGER.removeHandler(JOBRUNR_LOGS);
    JOBRUNR_LOGGER.setUseParentHandlers(true);
  }

  @AfterEach
  void closeClientsAndResetTime() {
    clients.forEach(McpSyncClient::closeGracefully);
    clock.moveTo(Instant.now());
  }

  @Test
  void readme_backgroundToolBlock_isReportToolsCharacterForCharacter() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    String source = Files.readString(
        Path.of("src/test/java/dev/baton/mcp/ReportTools.java"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    String toolsBlock = null;
    while (block.find()) {
      if (block.group(1).contains("class ReportTools")) {
        toolsBlock = block.group(1);
      }
    }

    assertThat(toolsBlock).as("README.md java block with class ReportTools").isNotNull();
    assertThat(toolsBlock).isEqualTo(source.substring(source.indexOf("\n\n") + 2));
  }

  @Test
  void start_twoCallersInterleaved_eachReadsItsOwnJobsResultAsItsCaller() throws Exception {
    McpSyncClient alice = client("token-alice");
    McpSyncClient bob = client("token-bob");
    List<String> aliceJobs = new ArrayList<>();
    List<String> bobJobs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      aliceJobs.add(start(alice, "2026-0" + (i + 1)));
      bobJobs.add(start(bob, "2026-0" + (i + 1)));
    }

    for (int i = 0; i < 4; i++) {
      assertThat(awaitFinal(alice, aliceJobs.get(i)))
          .containsExactly("SUCCEEDED", "report 2026-0" + (i + 1) + " for alice");
      assertThat(awaitFinal(bob, bobJobs.get(i)))
          .containsExactly("SUCCEEDED", "report 2026-0" + (i + 1) + " for bob");
    }
  }

  @Test
  void start_job_carriesAnOwnerLabelAndNoTokenText() {
    String job = start(client("token-alice"), "2026-05");

    var labels = storage.getJobById(UUID.fromString(job)).getLabels();
    assertThat(labels).singleElement().asString().startsWith(BackgroundTool.OWNER_LABEL_PREFIX)
        .doesNotContain("token", "alice");
  }

  @Test
  void status_anotherCallersJob_answersExactlyAsAnUnknownJob() throws Exception {
    McpSyncClient alice = client("token-alice");
    McpSyncClient bob = client("token-bob");
    String alicesJob = start(alice, "2026-06");
    awaitFinal(alice, alicesJob);

    CallToolResult stolen = status(bob, alicesJob);
    CallToolResult unknown = status(bob, UUID.randomUUID().toString());
    CallToolResult malformed = status(bob, "not-a-job-id");

    assertThat(stolen.isError()).isTrue();
    assertThat(texts(stolen)).containsExactly(BackgroundTool.NOT_FOUND_MESSAGE);
    assertThat(stolen).isEqualTo(unknown).isEqualTo(malformed);
  }

  @Test
  void status_jobCreatedOutsideTheTool_answersAsAnUnknownJob() {
    UUID plain = org.jobrunr.scheduling.BackgroundJob.enqueue(
        () -> new Reports().generate("outside", org.jobrunr.jobs.context.JobContext.Null)).asUUID();

    CallToolResult result = status(client("token-alice"), plain.toString());

    assertThat(result).isEqualTo(status(client("token-alice"), UUID.randomUUID().toString()));
    assertThat(texts(result)).containsExactly(BackgroundTool.NOT_FOUND_MESSAGE);
  }

  @Test
  void status_withoutCaller_answersAsAnUnknownJob() throws Exception {
    McpSyncClient alice = client("token-alice");
    String job = start(alice, "2026-08");
    awaitFinal(alice, job);

    CallToolResult result = status(client(null), job);

    assertThat(result.isError()).isTrue();
    assertThat(texts(result)).containsExactly(BackgroundTool.NOT_FOUND_MESSAGE);
  }

  @Test
  void status_jobWhoseCallerExpiredBeforeItRan_readsFailedAndItsBodyNeverRan() throws Exception {
    JobRunr.getBackgroundJobServer().pauseProcessing();
    String job;
    try {
      job = start(client("token-alice-expiring"), "2026-07");
      clock.moveTo(EXPIRES.plus(Duration.ofMinutes(5)));
    } finally {
      JobRunr.getBackgroundJobServer().resumeProcessing();
    }

    List<String> answer = awaitFinal(client("token-alice"), job); // alice again, a fresh token
    assertThat(answer).containsExactly("FAILED", BackgroundTool.CALLER_NOT_RESTORED_MESSAGE);
    assertThat(new Reports().resultOf(UUID.fromString(job))).isEmpty();
    assertThat(String.join(" ", answer)).doesNotContain("token-alice");
    assertThat(JOBRUNR_RECORDS).extracting(LogRecord::getMessage).allSatisfy(
        message -> assertThat(String.valueOf(message)).doesNotContain("token-alice"));
  }

  @Test
  void start_whenTheStoreIsDown_isRefusedWithAToolErrorAndCreatesNoJob() {
    McpSyncClient alice = client("token-alice");
    long before = storage.countJobs(org.jobrunr.jobs.states.StateName.ENQUEUED)
        + storage.countJobs(org.jobrunr.jobs.states.StateName.SUCCEEDED);
    CallToolResult result;
    storeDown.set(true);
    try {
      result = alice.callTool(
          CallToolRequest.builder("start_report").arguments(Map.of("month", "x")).build());
    } finally {
      storeDown.set(false);
    }

    assertThat(result.isError()).isTrue();
    assertThat(texts(result)).containsExactly(BackgroundTool.REFUSED_MESSAGE);
    assertThat(storage.countJobs(org.jobrunr.jobs.states.StateName.ENQUEUED)
        + storage.countJobs(org.jobrunr.jobs.states.StateName.SUCCEEDED)).isEqualTo(before);
  }

  @Test
  void start_withoutCaller_isRefusedAndCreatesNoJob() {
    long before = storage.countJobs(org.jobrunr.jobs.states.StateName.ENQUEUED)
        + storage.countJobs(org.jobrunr.jobs.states.StateName.SUCCEEDED);

    CallToolResult result = client(null).callTool(
        CallToolRequest.builder("start_report").arguments(Map.of("month", "x")).build());

    assertThat(result.isError()).isTrue();
    assertThat(texts(result)).containsExactly("start_report needs an authenticated caller");
    assertThat(storage.countJobs(org.jobrunr.jobs.states.StateName.ENQUEUED)
        + storage.countJobs(org.jobrunr.jobs.states.StateName.SUCCEEDED)).isEqualTo(before);
  }

  private static String start(McpSyncClient client, String month) {
    CallToolResult result = client.callTool(
        CallToolRequest.builder("start_report").arguments(Map.of("month", month)).build());
    assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
    return texts(result).get(0);
  }

  private static CallToolResult status(McpSyncClient client, String jobId) {
    return client.callTool(
        CallToolRequest.builder("report_status").arguments(Map.of("job_id", jobId)).build());
  }

  /** Polls the status tool until the job is SUCCEEDED or FAILED; fails after two minutes. */
  private static List<String> awaitFinal(McpSyncClient client, String jobId)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (true) {
      CallToolResult result = status(client, jobId);
      assertThat(result.isError()).as("status of %s", jobId).isNotEqualTo(Boolean.TRUE);
      List<String> answer = texts(result);
      if (answer.get(0).equals("SUCCEEDED") || answer.get(0).equals("FAILED")) {
        return answer;
      }
      assertThat(Instant.now()).as("job %s still %s", jobId, answer).isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private static List<String> texts(CallToolResult result) {
    return result.content().stream().map(c -> ((McpSchema.TextContent) c).text())
        .collect(Collectors.toList());
  }

  private McpSyncClient client(@org.jspecify.annotations.Nullable String token) {
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(base)
            .endpoint("/mcp")
            .addHttpRequestCustomizer((request, method, uri, body, context) -> {
              if (token != null) {
                request.setHeader("Authorization", "Bearer " + token);
              }
            })
            .build())
        .requestTimeout(Duration.ofSeconds(30)).build();
    clients.add(client);
    client.initialize();
    return client;
  }

  /** The test's store, whose saves fail while {@link #storeDown} is set. */
  private record SwitchableStore(TokenSnapshotStore delegate) implements TokenSnapshotStore {
    @Override
    public void save(dev.baton.TaskKey key, dev.baton.TokenSnapshot snapshot, Duration ttl) {
      if (storeDown.get()) {
        throw new dev.baton.store.TokenStoreException("store down (test)");
      }
      delegate.save(key, snapshot, ttl);
    }

    @Override
    public java.util.Optional<dev.baton.TokenSnapshot> load(dev.baton.TaskKey key) {
      return delegate.load(key);
    }

    @Override
    public boolean delete(dev.baton.TaskKey key) {
      return delegate.delete(key);
    }

    @Override
    public boolean touch(dev.baton.TaskKey key, Duration ttl) {
      return delegate.touch(key, ttl);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** Baton's time, moved by the expiry test; real time otherwise. */
  static final class MovableClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    /** From now on, reads as if it were {@code instant} now. */
    void moveTo(Instant instant) {
      offset.set(Duration.between(Instant.now(), instant));
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
