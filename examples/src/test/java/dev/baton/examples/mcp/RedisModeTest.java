package dev.baton.examples.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis mode end to end: a real redis-server, a sealed store, the server here and two worker
 * processes, driven by the MCP SDK's client.
 */
class RedisModeTest {
  @TempDir
  Path dir;

  private RedisServerProcess redis;
  private TokenSnapshotStore store;
  private RedisJobs redisJobs;
  private WorkerProcesses workers;
  private ReportServer server;
  private DemoIssuer issuer;
  private URI storeUri;
  private String runId;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServerProcess.startDefault();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keys = dir.resolve("sealing-keys");
    Files.writeString(keys, "k1:" + Base64.getEncoder().encodeToString(key),
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    storeUri = URI.create("redis://127.0.0.1:" + redis.port() + "?sealingKeys=file:" + keys);
    store = TokenSnapshotStores.open(storeUri);
    runId = UUID.randomUUID().toString();
    redisJobs = new RedisJobs(storeUri, runId);
    issuer = DemoIssuer.create(Clock.systemUTC());
    Baton baton = Baton.builder().store(store).lifespan(Map.of("app", "server")).build();
    server = new ReportServer(baton, issuer, redisJobs.board(), redisJobs.queue(), false);
    workers = new WorkerProcesses();
  }

  @AfterEach
  void stop() throws Exception {
    workers.close();
    server.close();
    redisJobs.close();
    store.close();
    redis.close();
  }

  private DemoClient client(String subject) {
    return new DemoClient(server.baseUri(), issuer.issue(subject, "web-app", Duration.ofHours(1)));
  }

  private void startWorkers(Duration claimAfter) throws Exception {
    for (String name : List.of("worker-1", "worker-2")) {
      workers.start(name, storeUri, runId, server.baseUri(), claimAfter);
    }
  }

  @Test
  void twoWorkerProcesses_interleavedClients_everyJobRunsAsItsCallerInAWorker() throws Exception {
    startWorkers(Duration.ofMinutes(5));
    try (DemoClient alice = client("alice"); DemoClient bob = client("bob")) {
      List<String> aliceJobs = new ArrayList<>();
      List<String> bobJobs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        aliceJobs.add(alice.startReport("a" + i).orElseThrow());
        bobJobs.add(bob.startReport("b" + i).orElseThrow());
      }

      for (String id : aliceJobs) {
        assertThat(JobAwait.finished(alice, id)).containsEntry("status", "done")
            .containsEntry("ran_as", "alice")
            .hasEntrySatisfying("app", app -> assertThat(app).asString().contains("worker-"));
      }
      for (String id : bobJobs) {
        assertThat(JobAwait.finished(bob, id)).containsEntry("status", "done")
            .containsEntry("ran_as", "bob");
      }
      aliceJobs.forEach(id -> assertThat(server.downstreamSightings()).containsEntry(id, "alice"));
      bobJobs.forEach(id -> assertThat(server.downstreamSightings()).containsEntry(id, "bob"));
    }
  }

  @Test
  void workerKilledMidJob_anotherWorkerClaimsIt_andRunsItAsItsCaller() throws Exception {
    ReportServer.DownstreamHold hold = server.holdNextDownstreamCall();
    startWorkers(Duration.ofSeconds(1));
    try (DemoClient alice = client("alice")) {
      String job = alice.startReport("doomed worker").orElseThrow();
      assertThat(hold.awaitArrival(Duration.ofMinutes(2))).as("job reached downstream").isTrue();
      String worker = redisJobs.workerOf(job);
      Process process = workers.process(String.valueOf(worker)).orElseThrow();

      process.destroyForcibly(); // kill -9, mid-job
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      hold.release();

      Map<String, Object> status = JobAwait.finished(alice, job);
      assertThat(status).containsEntry("status", "done").containsEntry("ran_as", "alice");
      assertThat(server.downstreamSightings()).containsEntry(job, "alice");
      assertThat(redisJobs.workerOf(job)).isNotEqualTo(worker);
    }
  }

  @Test
  void everyKeyTheRunWrites_expires_andRemoveRunLeavesNone() throws Exception {
    startWorkers(Duration.ofMinutes(5));
    try (DemoClient alice = client("alice")) {
      String job = alice.startReport("keys").orElseThrow();
      assertThat(JobAwait.finished(alice, job)).containsEntry("status", "done");
    }
    try (RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> commands = connection.sync();
      List<String> demoKeys = commands.keys("baton-demo:" + runId + ":*");
      assertThat(demoKeys).as("the run's stream and job state").hasSizeGreaterThanOrEqualTo(2);
      for (String key : commands.keys("*")) {
        assertThat(commands.pttl(key)).as("PTTL of %s", key).isPositive();
      }

      redisJobs.removeRun();

      assertThat(commands.keys("baton-demo:" + runId + ":*")).isEmpty();
    }
  }

  @Test
  void runOnRedis_killAWorker_tableShowsTheDeathTheReclaimAndTheDuplicateCall()
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    int exit = McpDemo.runOnRedis(storeUri, 2, 2, false, true,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    assertThat(output).containsPattern("killed worker-\\d \\(kill -9\\)")
        .containsPattern("worker-\\d died \\(exit code \\d+\\)");
    int reclaimed = 0;
    int duplicates = 0;
    List<String> lines = output.lines().toList();
    for (int i = lines.indexOf(lines.stream().filter(l -> l.startsWith("client ")).findFirst()
        .orElseThrow()) + 1; !lines.get(i).startsWith("wrong identities"); i++) {
      String[] columns = lines.get(i).trim().split("\\s+");
      reclaimed += Integer.parseInt(columns[columns.length - 2]);
      duplicates += Integer.parseInt(columns[columns.length - 1]);
    }
    assertThat(reclaimed).as(output).isEqualTo(1);
    assertThat(duplicates).as(output).isEqualTo(1);
    assertThat(output.strip()).endsWith("wrong identities: 0");
    try (RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      List<String> left = new java.util.ArrayList<>(connection.sync().keys("baton-demo:*"));
      left.removeIf(key -> key.startsWith("baton-demo:" + runId + ":"));
      assertThat(left).as("keys of the demo's run").isEmpty();
    }
  }
}
