package dev.baton.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreMode;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.amqp.spring.BatonMessagePostProcessor;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.redis.RedisTokenSnapshotStore;
import dev.baton.store.redis.harness.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The cross-process claim: 1,000 messages from 20 callers, anonymous publishers and forgers go
 * through the real broker to two consumer processes ({@link ConsumerWorkerMain}) sharing a sealed
 * Redis store; one process is killed (SIGKILL) mid-run. Every message runs as its publisher or is
 * dead-lettered with a reason, no message ever runs as anyone else, no snapshot is left once the
 * messages are acknowledged, and no container thread stays bound.
 */
class ConsumerProcessesTest {
  private static final int MESSAGES = 1_000;
  private static final int CALLERS = 20;
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private static Broker broker;
  private static RedisServerProcess redis;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    broker = Broker.connect();
    redis = RedisServerProcess.startDefault();
  }

  @AfterAll
  static void stop() throws IOException {
    redis.close();
    broker.close();
  }

  /** What the test expects of message {@code id}: its publisher's client id, "none" or a refusal. */
  private static String expected(int id) {
    if (id % 50 == 7) {
      return "garbage";
    }
    if (id % 50 == 31) {
      return "forged";
    }
    if (id % 11 == 5) {
      return "none";
    }
    return "client-caller" + (id % CALLERS);
  }

  /** What a run of two consumer processes, one killed mid-run, came to. */
  private record Outcome(Map<Integer, List<String>> ran, Map<Integer, String> deadLettered,
      Set<Integer> redelivered, String stopped, int wrong, String report, long snapshotsLeft,
      long leftOnQueue) {}

  @Test
  void twoConsumerProcesses_underLoad_oneKilledMidRun_everyMessageRunsAsItsCallerOrIsDeadLettered()
      throws Exception {
    Outcome outcome = runTwoConsumers(RestoreMode.LOAD, MESSAGES);

    assertThat(outcome.wrong()).as(outcome.report()).isZero();
    assertThat(outcome.redelivered()).as("messages in flight at the kill ran again as their caller")
        .isNotEmpty();
    assertThat(accountedFor(outcome.ran(), outcome.deadLettered())).as(outcome.report())
        .isEqualTo(MESSAGES);
    for (int id = 0; id < MESSAGES; id++) {
      String want = expected(id);
      if (want.equals("garbage") || want.equals("forged")) {
        assertThat(outcome.ran()).as("refused message %d never ran", id).doesNotContainKey(id);
        assertThat(outcome.deadLettered().get(id)).as(outcome.report())
            .isEqualTo(want.equals("garbage") ? "MALFORMED_KEY" : "MISSING");
      } else if (!outcome.ran().containsKey(id)) {
        // Only a message whose consumer was killed after its scope closed (snapshot deleted) and
        // before its ack is redelivered with nothing to restore.
        assertThat(outcome.deadLettered().get(id)).as(outcome.report()).isEqualTo("MISSING");
      }
    }
    assertThat(outcome.stopped()).as("the surviving consumer's threads were never left bound")
        .isEqualTo("STOPPED bound=0");
    assertThat(outcome.leftOnQueue()).isZero();
    assertThat(outcome.snapshotsLeft()).as("snapshots left in Redis after the acks").isZero();
  }

  @Test
  void twoConsumerProcesses_underTake_oneKilledMidRun_noMessageRunsTwice() throws Exception {
    int messages = MESSAGES / 2;
    Outcome outcome = runTwoConsumers(RestoreMode.TAKE, messages);

    assertThat(outcome.wrong()).as(outcome.report()).isZero();
    assertThat(accountedFor(outcome.ran(), outcome.deadLettered())).as(outcome.report())
        .isEqualTo(messages);
    outcome.ran().forEach((id, runs) ->
        assertThat(runs).as("message %d ran at most once", id).hasSize(1));
    for (int id = 0; id < messages; id++) {
      String want = expected(id);
      if (!want.equals("garbage") && !want.equals("forged") && !outcome.ran().containsKey(id)) {
        // Taken by the killed consumer, which died before acknowledging: never run again.
        assertThat(outcome.deadLettered().get(id)).as(outcome.report()).isEqualTo("MISSING");
      }
    }
    assertThat(outcome.stopped()).isEqualTo("STOPPED bound=0");
    assertThat(outcome.leftOnQueue()).isZero();
    assertThat(outcome.snapshotsLeft()).as("snapshots left in Redis after the acks").isZero();
  }

  private Outcome runTwoConsumers(RestoreMode mode, int messages) throws Exception {
    byte[] sealingKey = new byte[SealingKeyRing.KEY_BYTES];
    new SecureRandom().nextBytes(sealingKey);
    String ring = "k1:" + Base64.getEncoder().encodeToString(sealingKey);
    Broker.Queues queues = broker.queuesWithDeadLetters("processes");
    String results = broker.queue("processes.results", null);
    redisFlush();

    List<AccessToken> callers = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      callers.add(Callers.caller("caller" + i));
    }
    RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder().uri(redis.uri())
        .sealingKeys(SealingKeyRing.parse(ring)).build();
    Baton baton = Baton.builder().store(store).build();
    // Half the messages wait on the queue before the consumers start (so that each has deliveries
    // in flight when one is killed); the other half is published while they work.
    publish(baton, callers, queues.work(), 0, messages / 2);
    Worker first = startWorker(queues, results, "first", ring, mode);
    Worker second = startWorker(queues, results, "second", ring, mode);
    try (Channel channel = broker.channel()) {
      awaitReady(first);
      awaitReady(second);
      CompletableFuture<Void> published = CompletableFuture.runAsync(
          () -> publish(baton, callers, queues.work(), messages / 2, messages));

      Map<Integer, List<String>> ran = new HashMap<>();
      Map<Integer, String> deadLettered = new HashMap<>();
      Set<Integer> redelivered = new HashSet<>();
      AtomicInteger ranByFirst = new AtomicInteger();
      Instant deadline = Instant.now().plus(DEADLINE);
      boolean killed = false;
      while (accountedFor(ran, deadLettered) < messages && Instant.now().isBefore(deadline)) {
        boolean got = drain(channel, results, queues.deadLetters(), ran, deadLettered,
            redelivered, ranByFirst);
        // Killed once it has done a share of the work, with more on the queue for it.
        if (!killed && ranByFirst.get() >= messages / 8) {
          first.process().destroyForcibly(); // SIGKILL: deliveries in flight are never acked
          first.process().waitFor(30, TimeUnit.SECONDS);
          killed = true;
        }
        if (!got) {
          Thread.sleep(20);
        }
      }
      assertThat(killed).as("the first consumer was killed mid-run").isTrue();
      published.get(60, TimeUnit.SECONDS);
      String stopped = stopWorker(second);
      drain(channel, results, queues.deadLetters(), ran, deadLettered, redelivered, ranByFirst);

      Map<String, int[]> table = new TreeMap<>();
      int wrong = 0;
      for (int id = 0; id < messages; id++) {
        String want = expected(id);
        int[] row = table.computeIfAbsent(want.startsWith("client-") || want.equals("none")
            ? want : "refused:" + want, k -> new int[4]);
        for (String seen : ran.getOrDefault(id, List.of())) {
          if (seen.equals(want)) {
            row[0]++;
          } else {
            row[1]++;
            wrong++;
          }
        }
        if (deadLettered.containsKey(id)) {
          row[2]++;
        }
        if (!ran.containsKey(id) && !deadLettered.containsKey(id)) {
          row[3]++;
        }
      }
      StringBuilder report = new StringBuilder(mode + ", " + messages + " messages\n"
          + "caller            ran-as-caller  wrong  dead-lettered  unaccounted\n");
      table.forEach((caller, row) -> report.append(String.format("%-18s%13d%7d%15d%13d%n",
          caller, row[0], row[1], row[2], row[3])));
      report.append("wrong identities: ").append(wrong).append('\n');
      report.append("redelivered after the kill and run: ").append(redelivered.size());
      if (System.getenv("BATON_TEST_REPORT") != null) {
        System.out.println(report);
      }
      return new Outcome(ran, deadLettered, redelivered, stopped, wrong, report.toString(),
          redisKeys(), broker.count(queues.work()));
    } finally {
      first.process().destroyForcibly();
      second.process().destroyForcibly();
      store.close();
    }
  }

  private static int accountedFor(Map<Integer, List<String>> ran, Map<Integer, String> dead) {
    Set<Integer> ids = new HashSet<>(ran.keySet());
    ids.addAll(dead.keySet());
    return ids.size();
  }

  private static void publish(Baton baton, List<AccessToken> callers, String queue, int from,
      int to) {
    CachingConnectionFactory connections = new CachingConnectionFactory(Broker.connectionFactory());
    try {
      RabbitTemplate template = new RabbitTemplate(connections);
      template.setBeforePublishPostProcessors(new BatonMessagePostProcessor(baton));
      RabbitTemplate raw = new RabbitTemplate(connections);
      for (int id = from; id < to; id++) {
        String want = expected(id);
        byte[] body = (id + "|" + want).getBytes(StandardCharsets.UTF_8);
        if (want.equals("garbage") || want.equals("forged")) {
          String header = want.equals("garbage") ? "garbage-" + id + "\u0000"
              : TaskKey.random(callers.get(id % CALLERS)).encoded();
          raw.send("", queue, MessageBuilder.withBody(body)
              .setHeader(CallerHeader.TASK_KEY, header).build());
        } else {
          try (Scope request = baton.bindRequest(
              want.equals("none") ? null : callers.get(id % CALLERS))) {
            template.send("", queue, MessageBuilder.withBody(body).build());
          }
        }
      }
    } finally {
      connections.destroy();
    }
  }

  /** Reads what has arrived on the results queue and the dead-letter queue; false if nothing. */
  private static boolean drain(Channel channel, String results, String deadLetters,
      Map<Integer, List<String>> ran, Map<Integer, String> deadLettered,
      Set<Integer> redelivered, AtomicInteger ranByFirst) throws IOException {
    boolean got = false;
    GetResponse response;
    while ((response = channel.basicGet(results, true)) != null) {
      String[] parts = new String(response.getBody(), StandardCharsets.UTF_8).split("\\|");
      ran.computeIfAbsent(Integer.parseInt(parts[0]), k -> new ArrayList<>()).add(parts[1]);
      if (parts[2].equals("first")) {
        ranByFirst.incrementAndGet();
      }
      if (parts[3].equals("true")) {
        redelivered.add(Integer.parseInt(parts[0]));
      }
      got = true;
    }
    while ((response = channel.basicGet(deadLetters, true)) != null) {
      String[] parts = new String(response.getBody(), StandardCharsets.UTF_8).split("\\|");
      Object reason = response.getProps().getHeaders().get(CallerHeader.REFUSAL);
      deadLettered.put(Integer.parseInt(parts[0]), String.valueOf(reason));
      got = true;
    }
    return got;
  }

  /** A consumer process and the files its output goes to. */
  private record Worker(String name, Process process, Path out, Path err) {
    String errors() throws IOException {
      return Files.exists(err) ? Files.readString(err) : "";
    }
  }

  private Worker startWorker(Broker.Queues queues, String results, String name, String ring,
      RestoreMode mode) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = tmp.resolve(name + ".out");
    Path err = tmp.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp",
        System.getProperty("java.class.path"), "-Djava.util.logging.config.file="
            + System.getProperty("java.util.logging.config.file", ""),
        ConsumerWorkerMain.class.getName(), redis.uri(), queues.work(),
        queues.deadLetterExchange(), results, name, mode.name()))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().put(ConsumerWorkerMain.SEALING_KEYS_ENV, ring);
    return new Worker(name, builder.start(), out, err);
  }

  private static void awaitReady(Worker worker) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(worker.out()) && Files.readString(worker.out()).contains("READY")) {
        return;
      }
      assertThat(worker.process().isAlive()).as("worker %s exited: %s", worker.name(),
          worker.errors()).isTrue();
      Thread.sleep(50);
    }
    throw new AssertionError("worker " + worker.name() + " not ready in 60 s: " + worker.errors());
  }

  private static String stopWorker(Worker worker) throws IOException, InterruptedException {
    try (OutputStream in = worker.process().getOutputStream()) {
      in.write("stop\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(worker.process().waitFor(60, TimeUnit.SECONDS)).as("worker stopped").isTrue();
    return Files.readString(worker.out()).lines().filter(l -> l.startsWith("STOPPED"))
        .findFirst().orElse("no STOPPED line; stderr: " + worker.errors());
  }

  private static void redisFlush() {
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().flushall();
    } finally {
      client.shutdown();
    }
  }

  private static long redisKeys() {
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().dbsize();
    } finally {
      client.shutdown();
    }
  }
}
