package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.CleanupPolicy;
import dev.baton.RestoreFailurePolicy;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bearer token string never appears in {@code toString()}, exception messages (with their
 * causes) or log output at the most verbose level.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class TokenSecrecyTest {
  /** Distinctive, so any leak (whole or a prefix) is found by a plain substring search. */
  private static final String SECRET = "zq9SECRETx7bearer4leak2";
  private static final String SECRET_PREFIX = "zq9SECRET";

  @RegisterExtension
  final CapturedLogs logs = CapturedLogs.all();

  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.builder()
      .ticker(time.ticker).codec(JsonSnapshotCodec.create()).executor(Runnable::run).build();
  private final AccessToken caller = new AccessToken(SECRET, "test-client", List.of("read"),
      TestTime.START.plusSeconds(600), "https://api.example", Map.of("sub", "alice"));
  private final List<Throwable> thrown = new ArrayList<>();

  @AfterEach
  void tearDown() {
    store.close();
  }

  private Baton baton(RestoreFailurePolicy policy) {
    return Baton.builder().store(store).clock(time.clock).restoreFailurePolicy(policy)
        .listener(event -> {
          if (event.type() == BatonEvent.Type.RESTORED) {
            throw new IllegalStateException("listener broke on " + event);
          }
        })
        .build();
  }

  private void collect(Throwable t) {
    assertThat(t).as("expected a failure").isNotNull();
    thrown.add(t);
  }

  @Test
  void toStrings_neverContainTheToken() {
    Baton baton = baton(RestoreFailurePolicy.FAIL);
    TaskKey key = baton.capture(TaskKey.forCaller(caller, "t"), caller);
    List<String> descriptions = new ArrayList<>();
    descriptions.add(caller.toString());
    descriptions.add(TokenSnapshot.of(caller, time.now()).toString());
    descriptions.add(store.load(key).orElseThrow().toString());
    descriptions.add(store.toString());
    descriptions.add(key.toString());
    try (TaskScope scope = baton.enter(key)) {
      descriptions.add(scope.context().toString());
      descriptions.add(TaskContext.current().orElseThrow().toString());
      descriptions.add(scope.toString());
    }

    assertThat(descriptions).allSatisfy(text -> assertThat(text).doesNotContain(SECRET_PREFIX));
  }

  @Test
  void everyFailurePath_keepsTheTokenOutOfExceptionsAndLogs() throws Exception {
    Baton failing = baton(RestoreFailurePolicy.FAIL);
    Baton lenient = baton(RestoreFailurePolicy.RUN_UNAUTHENTICATED);

    // a normal task, with a listener that throws on RESTORED
    TaskKey ok = failing.capture(TaskKey.forCaller(caller, "ok"), caller);
    failing.run(ok, () -> { });

    // a real value cut short: undecodable, still holding the token's bytes
    TaskKey truncated = failing.capture(TaskKey.forCaller(caller, "truncated"), caller);
    byte[] value = store.rawValue(truncated).orElseThrow();
    store.putRawValue(truncated, Arrays.copyOf(value, value.length / 2 + 5), Duration.ofMinutes(5));
    collect(catchThrowable(() -> failing.run(truncated, () -> { })));
    collect(catchThrowable(() -> store.load(truncated)));
    lenient.run(truncated, () -> { });

    // a hostile value: the token unquoted, where a parser would echo the unexpected text
    TaskKey hostile = TaskKey.forCaller(caller, "hostile");
    store.putRawValue(hostile, ("{\"v\":1,\"token\":" + SECRET + "}")
        .getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
    collect(catchThrowable(() -> failing.run(hostile, () -> { })));
    collect(catchThrowable(() -> store.load(hostile)));
    store.putRawValue(hostile, SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
    collect(catchThrowable(() -> failing.run(hostile, () -> { })));
    collect(catchThrowable(() -> store.load(hostile)));

    // a snapshot too large for the codec
    AccessToken huge = new AccessToken(SECRET, "test-client", List.of(), null, null,
        Map.of("blob", "x".repeat(200_000)));
    collect(catchThrowable(() -> failing.capture(TaskKey.forCaller(huge, "huge"), huge)));

    // a task that throws, and cleanup against a closed store
    TaskKey doomed = failing.capture(TaskKey.forCaller(caller, "doomed"), caller);
    collect(catchThrowable(() -> failing.run(doomed, () -> {
      throw new IllegalStateException("task failed");
    })));
    TaskKey orphan = failing.capture(TaskKey.forCaller(caller, "orphan"), caller);
    TaskScope open = failing.enter(orphan);

    // scopes closed out of order and on the wrong thread
    Scope request = failing.bindRequest(caller);
    Scope inner = failing.bindRequest(caller);
    request.close();
    inner.close();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Scope enclosing = failing.bindRequest(null)) {
      Scope elsewhere = failing.bindRequest(caller);
      collect(catchThrowable(() -> other.submit(elsewhere::close).get(10, TimeUnit.SECONDS)));
      elsewhere.close();
    } finally {
      other.shutdown();
    }

    // a rejected task submission
    ExecutorService shutDown = Executors.newSingleThreadExecutor();
    shutDown.shutdown();
    try (Scope requestScope = failing.bindRequest(caller)) {
      collect(catchThrowable(() -> failing.wrap(shutDown).submit(() -> { })));
    }

    store.close();
    open.close();
    collect(catchThrowable(() -> failing.enter(orphan)));
    collect(catchThrowable(() -> failing.capture(TaskKey.forCaller(caller, "late"), caller)));

    assertThat(logs.records()).isNotEmpty();
    assertThat(logs.fullText()).doesNotContain(SECRET_PREFIX);
    assertThat(thrown).allSatisfy(t -> assertThat(Leaks.fullText(t)).doesNotContain(SECRET_PREFIX));
  }

  @Test
  void evictionAtTheSizeBound_logsTheKeyButNotTheToken() {
    MemoryTokenSnapshotStore tiny = MemoryTokenSnapshotStore.builder().ticker(time.ticker)
        .maximumSize(1).executor(Runnable::run).build();
    try {
      Baton baton = Baton.builder().store(tiny).clock(time.clock)
          .cleanupPolicy(CleanupPolicy.TTL_ONLY).build();
      for (int i = 0; i < 20; i++) {
        baton.capture(TaskKey.forCaller(caller, "t" + i), caller);
      }

      assertThat(logs.messagesAt(Level.WARNING)).isNotEmpty()
          .allSatisfy(message -> assertThat(message).contains("evicted"));
      assertThat(logs.fullText()).doesNotContain(SECRET_PREFIX);
    } finally {
      tiny.close();
    }
  }
}
