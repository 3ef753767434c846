package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreMode;
import dev.baton.TaskKey;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which Redis commands one task costs, counted by the server itself ({@code INFO commandstats}
 * after {@code CONFIG RESETSTAT}) on this class's own {@code redis-server}: capture is one SET,
 * restore under LOAD is a GET and the cleanup a DEL, and under TAKE one GETDEL does both.
 */
class RedisCommandCountTest {
  private static final ClassResource<RedisServerProcess> REDIS =
      new ClassResource<>(RedisServerProcess::startDefault);

  private RedisTokenSnapshotStore store;

  @BeforeEach
  void open() {
    store = RedisTokenSnapshotStore.builder().uri(REDIS.get().uri()).withoutSealing().build();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @AfterAll
  static void stopRedis() {
    REDIS.close();
  }

  /** Calls per command (lower case, e.g. {@code set}) since {@link #resetStats()}. */
  private static Map<String, Integer> commandCalls() throws Exception {
    String info = (String) Resp.call(REDIS.get().port(), "INFO", "commandstats");
    var calls = new TreeMap<String, Integer>();
    for (String line : info.split("\r\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        int start = line.indexOf("calls=") + "calls=".length();
        int end = line.indexOf(',', start);
        calls.put(name, Integer.parseInt(line.substring(start, end)));
      }
    }
    // The test's own INFO and CONFIG RESETSTAT (Redis 7 names it config|resetstat).
    calls.keySet().removeIf(name -> name.startsWith("info") || name.startsWith("config"));
    return calls;
  }

  private static void resetStats() throws Exception {
    assertThat(Resp.call(REDIS.get().port(), "CONFIG", "RESETSTAT")).isEqualTo("OK");
  }

  private static void runAs(Baton baton, TaskKey key, AtomicReference<AccessToken> seen) {
    baton.run(key, () -> seen.set(Baton.currentToken().orElseThrow()));
  }

  @Test
  void loadMode_task_costsSetThenGetThenDel() throws Exception {
    Baton baton = Baton.builder().store(store).build();
    AccessToken alice = caller("alice");
    TaskKey key = key("load");
    var seen = new AtomicReference<AccessToken>();
    resetStats();
    baton.capture(key, alice);
    runAs(baton, key, seen);
    assertThat(seen.get()).isEqualTo(alice);
    assertThat(commandCalls()).isEqualTo(Map.of("set", 1, "get", 1, "del", 1));
  }

  @Test
  void takeMode_task_costsSetThenOneGetdel_noCleanupRoundTrip() throws Exception {
    Baton baton = Baton.builder().store(store).restoreMode(RestoreMode.TAKE).build();
    AccessToken alice = caller("alice");
    TaskKey key = key("take");
    var seen = new AtomicReference<AccessToken>();
    resetStats();
    baton.capture(key, alice);
    runAs(baton, key, seen);
    assertThat(seen.get()).isEqualTo(alice);
    assertThat(commandCalls()).isEqualTo(Map.of("set", 1, "getdel", 1));
  }

  @Test
  void captureAsync_batch_costsOneSetPerTask() throws Exception {
    Baton baton = Baton.builder().store(store).build();
    resetStats();
    List<CompletableFuture<TaskKey>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(baton.captureAsync(key("batch-" + i), caller("c" + i)));
    }
    for (CompletableFuture<TaskKey> future : futures) {
      future.get(30, TimeUnit.SECONDS);
    }
    assertThat(commandCalls()).isEqualTo(Map.of("set", 50));
  }
}
