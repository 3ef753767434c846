package dev.baton.amqp;

import static dev.baton.amqp.Callers.caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreMode;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import dev.baton.test.FaultInjectingStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plain RabbitMQ Java client against the real broker: publish, consume, refuse, redeliver. */
class PlainClientTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static Broker broker;

  private final AccessToken alice = caller("alice");
  private final AccessToken bob = caller("bob");
  private final Callers.CapturedKeys captured = new Callers.CapturedKeys();
  private final List<AutoCloseable> open = new ArrayList<>();
  private MemoryTokenSnapshotStore store;
  private Baton baton;
  private Broker.Queues queues;
  private Channel publisher;

  @BeforeAll
  static void connect() {
    broker = Broker.connect();
  }

  @AfterAll
  static void disconnect() throws IOException {
    broker.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    store = MemoryTokenSnapshotStore.create();
    baton = Baton.builder().store(store).listener(captured).build();
    queues = broker.queuesWithDeadLetters("plain");
    publisher = broker.channel();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    publisher.close();
    store.close();
  }

  private Recorder consume(BatonAmqp amqp, boolean ack) throws IOException {
    Recorder recorder = new Recorder(broker, amqp, queues.work(), ack);
    open.add(recorder);
    return recorder;
  }

  private void publishAs(@Nullable AccessToken caller, BatonAmqp amqp, String body)
      throws IOException {
    try (Scope request = baton.bindRequest(caller)) {
      amqp.basicPublish(publisher, "", queues.work(), null, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private void publishRaw(Map<String, Object> headers, String body) throws IOException {
    publisher.basicPublish("", queues.work(), Broker.headers(headers),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private GetResponse deadLetter() throws IOException, InterruptedException {
    GetResponse response = broker.next(queues.deadLetters(), WAIT);
    assertThat(response).as("a dead-lettered message").isNotNull();
    return response;
  }

  private static @Nullable String header(GetResponse response, String name) {
    Object value = response.getProps().getHeaders().get(name);
    return value == null ? null : value.toString();
  }

  @Test
  void publish_fromTwoInterleavedCallers_eachMessageRunsAsItsPublisher() throws Exception {
    BatonAmqp amqp = BatonAmqp.of(baton);
    Recorder recorder = consume(amqp, true);
    for (int i = 0; i < 10; i++) {
      publishAs(i % 2 == 0 ? alice : bob, amqp, (i % 2 == 0 ? "client-alice" : "client-bob"));
    }

    for (int i = 0; i < 10; i++) {
      Recorder.Seen seen = recorder.next(WAIT);
      assertThat(seen).isNotNull();
      assertThat(seen.caller()).as("wrong identity").isEqualTo(seen.body());
    }
  }

  @Test
  void handledMessage_leavesNoSnapshotAndTheThreadUnbound() throws Exception {
    BatonAmqp amqp = BatonAmqp.of(baton);
    Recorder recorder = consume(amqp, true);
    publishAs(alice, amqp, "one");

    assertThat(recorder.next(WAIT)).isNotNull();

    assertThat(recorder.boundAfterNext(WAIT)).as("thread bound after the delivery").isFalse();
    assertThat(captured.keys).hasSize(1);
    assertThat(store.load(captured.keys.iterator().next())).isEmpty();
  }

  @Test
  void publish_withNoCaller_runsWithNoTokenInItsOwnTaskContext() throws Exception {
    BatonAmqp amqp = BatonAmqp.of(baton);
    Recorder recorder = consume(amqp, true);
    publishAs(null, amqp, "anonymous");

    Recorder.Seen seen = recorder.next(WAIT);

    assertThat(seen).isNotNull();
    assertThat(seen.caller()).isEqualTo("none");
    assertThat(seen.taskContext()).as("an explicit anonymous snapshot was restored").isTrue();
    assertThat(captured.keys.iterator().next().scope()).isEqualTo(TaskKey.ANONYMOUS_SCOPE);
  }

  @Test
  void message_withoutHeader_runsWithNoCallerInstalled() throws Exception {
    Recorder recorder = consume(BatonAmqp.of(baton), true);
    publishRaw(Map.of(), "published without Baton");

    Recorder.Seen seen = recorder.next(WAIT);

    assertThat(seen).isNotNull();
    assertThat(seen.caller()).isEqualTo("none");
    assertThat(seen.taskContext()).isFalse();
  }

  @Test
  void enter_withoutHeader_hidesWhatTheThreadWasBoundTo() {
    try (Scope request = baton.bindRequest(alice);
        MessageScope message = BatonAmqp.of(baton).enter(null)) {
      assertThat(Baton.currentToken()).isEmpty();
    }
  }

  @Test
  void message_withoutHeader_whenAHeaderIsRequired_isDeadLetteredAsNoKey() throws Exception {
    BatonAmqp amqp = BatonAmqp.builder(baton).requireCallerHeader(true)
        .deadLetterExchange(queues.deadLetterExchange()).build();
    Recorder recorder = consume(amqp, true);
    publishRaw(Map.of(), "published without Baton");

    GetResponse dead = deadLetter();

    assertThat(header(dead, CallerHeader.REFUSAL)).isEqualTo("NO_KEY");
    assertThat(recorder.seen).isEmpty();
  }

  @Test
  void garbageHeader_isDeadLetteredWithItsReason_neverRuns_andIsNotLoggedInFull()
      throws Exception {
    BatonAmqp amqp = BatonAmqp.builder(baton).deadLetterExchange(queues.deadLetterExchange())
        .build();
    Recorder recorder = consume(amqp, true);
    String garbage = "garbage-header-value-" + "g".repeat(300);
    try (Callers.Logs logs = new Callers.Logs()) {
      publishRaw(Map.of(CallerHeader.TASK_KEY, garbage), "forged");

      GetResponse dead = deadLetter();

      assertThat(header(dead, CallerHeader.REFUSAL)).isEqualTo("MALFORMED_KEY");
      assertThat(header(dead, CallerHeader.ORIGINAL_ROUTING_KEY)).isEqualTo(queues.work());
      assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("forged");
      assertThat(recorder.seen).isEmpty();
      assertThat(logs.text()).contains("MALFORMED_KEY").doesNotContain(garbage)
          .doesNotContain("g".repeat(20));
    }
  }

  @Test
  void refusedMessage_withoutDeadLetterExchange_isRejectedToTheQueuesOwnDlx() throws Exception {
    Recorder recorder = consume(BatonAmqp.of(baton), true);
    publishRaw(Map.of(CallerHeader.TASK_KEY, "not a key"), "forged");

    GetResponse dead = deadLetter();

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> xDeath =
        (List<Map<String, Object>>) dead.getProps().getHeaders().get("x-death");
    assertThat(xDeath).isNotEmpty();
    assertThat(xDeath.get(0).get("reason").toString()).isEqualTo("rejected");
    assertThat(xDeath.get(0).get("queue").toString()).isEqualTo(queues.work());
    assertThat(recorder.seen).isEmpty();
    assertThat(broker.count(queues.work())).as("not requeued").isZero();
  }

  @Test
  void forgedWellFormedKey_inAnotherCallersScope_isDeadLetteredAsMissing() throws Exception {
    BatonAmqp amqp = BatonAmqp.builder(baton).deadLetterExchange(queues.deadLetterExchange())
        .build();
    Recorder recorder = consume(amqp, true);
    publishAs(alice, amqp, "alice's real message");
    assertThat(recorder.next(WAIT)).isNotNull();
    // Knowing alice's scope (a digest of her client and subject, not secret) is not enough: the
    // random task id is what names a snapshot.
    TaskKey forged = TaskKey.random(alice);
    publishRaw(Map.of(CallerHeader.TASK_KEY, forged.encoded()), "forged");

    GetResponse dead = deadLetter();

    assertThat(header(dead, CallerHeader.REFUSAL)).isEqualTo("MISSING");
    assertThat(recorder.seen).isEmpty();
  }

  @Test
  void truncatedKey_isRefused_andNeverRunsAsAnyone() throws Exception {
    BatonAmqp amqp = BatonAmqp.builder(baton).deadLetterExchange(queues.deadLetterExchange())
        .build();
    Recorder recorder = consume(amqp, false);
    TaskKey key;
    try (Scope request = baton.bindRequest(alice)) {
      key = baton.capture();
    }
    String encoded = key.encoded();
    publishRaw(Map.of(CallerHeader.TASK_KEY, encoded.substring(0, encoded.length() - 4)), "a");
    publishRaw(Map.of(CallerHeader.TASK_KEY, encoded.substring(0, encoded.indexOf(':'))), "b");

    assertThat(List.of(header(deadLetter(), CallerHeader.REFUSAL),
        header(deadLetter(), CallerHeader.REFUSAL))).containsExactlyInAnyOrder("MISSING",
        "MALFORMED_KEY");
    assertThat(recorder.seen).isEmpty();
    assertThat(store.load(key)).as("alice's real snapshot is untouched").isPresent();
  }

  @Test
  void callerExpiredBeforeConsumption_isDeadLetteredAsCallerExpired_neverRunsAsNobody()
      throws Exception {
    dev.baton.test.TestClock clock = dev.baton.test.TestClock.create();
    MemoryTokenSnapshotStore timed = MemoryTokenSnapshotStore.builder().ticker(clock).build();
    open.add(timed::close);
    Baton clocked = Baton.builder().store(timed).clock(clock).build();
    BatonAmqp amqp = BatonAmqp.builder(clocked)
        .deadLetterExchange(queues.deadLetterExchange()).build();
    AccessToken shortLived = AccessToken.builder("short-lived-token", "client")
        .expiresAt(clock.instant().plusSeconds(10)).build();
    TaskKey key = TaskKey.forCaller(shortLived, "expiring");
    // The store keeps the snapshot past the token (as one with a coarse TTL, or a worker with a
    // shorter leeway than the publisher's, would).
    timed.save(key, dev.baton.TokenSnapshot.of(shortLived, clock.instant()), Duration.ofHours(1));
    clock.advance(Duration.ofMinutes(1));
    Recorder recorder = consume(amqp, true);
    publishRaw(Map.of(CallerHeader.TASK_KEY, key.encoded()), "late");

    GetResponse dead = deadLetter();

    assertThat(header(dead, CallerHeader.REFUSAL)).isEqualTo("CALLER_EXPIRED");
    assertThat(recorder.seen).isEmpty();
  }

  @Test
  void storeFailure_isDeadLetteredAsStoreFailed_keepingTheKeyForARedrive() throws Exception {
    FaultInjectingStore failing = FaultInjectingStore.create();
    Baton onFailingStore = Baton.builder().store(failing).build();
    BatonAmqp amqp = BatonAmqp.builder(onFailingStore)
        .deadLetterExchange(queues.deadLetterExchange()).build();
    Recorder recorder = consume(amqp, true);
    TaskKey key;
    try (Scope request = onFailingStore.bindRequest(alice);
        Callers.Logs logs = new Callers.Logs()) {
      key = onFailingStore.capture();
      failing.failNext(FaultInjectingStore.Operation.LOAD, 1);
      publishRaw(Map.of(CallerHeader.TASK_KEY, key.encoded()), "store down");

      GetResponse dead = deadLetter();

      assertThat(header(dead, CallerHeader.REFUSAL)).isEqualTo("STORE_FAILED");
      assertThat(header(dead, CallerHeader.TASK_KEY)).isEqualTo(key.encoded());
      assertThat(logs.text()).contains("STORE_FAILED").doesNotContain(alice.token());
    }
    assertThat(recorder.seen).isEmpty();
    assertThat(failing.contains(key)).as("left for a re-drive once the store is back").isTrue();
    failing.close();
  }

  @Test
  void copiedHeader_isReplacedByThePublishersOwnKey() throws Exception {
    BatonAmqp amqp = BatonAmqp.of(baton);
    Recorder recorder = consume(amqp, true);
    TaskKey alicesKey;
    try (Scope request = baton.bindRequest(alice)) {
      alicesKey = baton.capture();
    }
    Map<String, Object> copied = new HashMap<>(Map.of(CallerHeader.TASK_KEY, alicesKey.encoded()));
    AMQP.BasicProperties withAlicesKey = Broker.headers(copied);

    try (Scope request = baton.bindRequest(bob)) {
      amqp.basicPublish(publisher, "", queues.work(), withAlicesKey, new byte[0]);
    }

    Recorder.Seen seen = recorder.next(WAIT);
    assertThat(seen).isNotNull();
    assertThat(seen.caller()).isEqualTo("client-bob");
  }

  @Test
  void replayedLiveKey_runsAsItsCaller_butNotOnceTheOriginalWasHandled() throws Exception {
    // What the key scheme allows: whoever can publish to the queue and holds a live key (read off
    // a message in flight) can send a message that runs as that caller, until the snapshot is
    // gone. It cannot name a caller it has no key for (forged keys are MISSING).
    BatonAmqp amqp = BatonAmqp.builder(baton).deadLetterExchange(queues.deadLetterExchange())
        .build();
    TaskKey live;
    try (Scope request = baton.bindRequest(alice)) {
      live = baton.capture();
    }
    publishRaw(Map.of(CallerHeader.TASK_KEY, live.encoded()), "replay while live");
    Recorder recorder = consume(amqp, true);

    Recorder.Seen replay = recorder.next(WAIT);
    assertThat(replay).isNotNull();
    assertThat(replay.caller()).isEqualTo("client-alice");

    publishRaw(Map.of(CallerHeader.TASK_KEY, live.encoded()), "replay after it was handled");

    assertThat(header(deadLetter(), CallerHeader.REFUSAL)).isEqualTo("MISSING");
    assertThat(recorder.seen).isEmpty();
  }

  @Test
  void redelivery_underLoad_runsAgainAsTheCaller() throws Exception {
    BatonAmqp amqp = BatonAmqp.of(baton);
    Recorder dies = consume(amqp, false);
    publishAs(alice, amqp, "work");
    Recorder.Seen first = dies.next(WAIT);
    assertThat(first).isNotNull();
    assertThat(first.caller()).isEqualTo("client-alice");

    dies.kill(); // its listener never returned nor acknowledged: the broker redelivers
    Recorder survivor = consume(amqp, true);

    Recorder.Seen again = survivor.next(WAIT);
    assertThat(again).isNotNull();
    assertThat(again.redelivered()).isTrue();
    assertThat(again.caller()).isEqualTo("client-alice");
  }

  @Test
  void redelivery_underTake_isRefusedAsMissing_soTheListenerRanAtMostOnce() throws Exception {
    Baton taking = Baton.builder().store(store).restoreMode(RestoreMode.TAKE).build();
    BatonAmqp amqp = BatonAmqp.builder(taking).deadLetterExchange(queues.deadLetterExchange())
        .build();
    Recorder dies = consume(amqp, false);
    try (Scope request = taking.bindRequest(alice)) {
      amqp.basicPublish(publisher, "", queues.work(), null, new byte[0]);
    }
    Recorder.Seen first = dies.next(WAIT);
    assertThat(first).isNotNull();
    assertThat(first.caller()).isEqualTo("client-alice");

    dies.kill();
    Recorder survivor = consume(amqp, true);

    GetResponse dead = deadLetter();
    assertThat(header(dead, CallerHeader.REFUSAL)).isEqualTo("MISSING");
    assertThat(dead.getProps().getHeaders()).doesNotContainKey("x-death");
    assertThat(survivor.seen).isEmpty();
  }

  @Test
  void basicPublish_onAClosedChannel_throws_andForgetsTheSnapshot() throws Exception {
    BatonAmqp amqp = BatonAmqp.of(baton);
    Channel closed = broker.channel();
    closed.close();

    try (Scope request = baton.bindRequest(alice)) {
      assertThatThrownBy(() -> amqp.basicPublish(closed, "", queues.work(), null, new byte[0]))
          .isInstanceOf(com.rabbitmq.client.AlreadyClosedException.class);
    }

    assertThat(captured.keys).hasSize(1);
    assertThat(store.load(captured.keys.iterator().next())).isEmpty();
  }

  @Test
  void builder_withABatonWithoutStore_isRefused() {
    assertThatThrownBy(() -> BatonAmqp.of(Baton.builder().build()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("store");
  }
}
