package dev.baton.store.redis.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness itself: real processes, real kills, a real cluster. */
class RedisServerProcessTest {

  @Test
  void start_answersPing() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
      assertThat(redis.port()).isNotEqualTo(6379);
      assertThat(Resp.call(redis.port(), "PING")).isEqualTo("PONG");
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
    }
  }

  @Test
  void start_bindsLoopbackOnlyWithoutPersistence() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
      assertThat(Resp.call(redis.port(), "CONFIG", "GET", "bind"))
          .isEqualTo(List.of("bind", "127.0.0.1"));
      assertThat(Resp.call(redis.port(), "CONFIG", "GET", "save")).isEqualTo(List.of("save", ""));
      assertThat(Resp.call(redis.port(), "CONFIG", "GET", "appendonly"))
          .isEqualTo(List.of("appendonly", "no"));
    }
  }

  @Test
  void kill_thenPing_isConnectionRefused() {
    try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
      redis.kill();

      assertThat(redis.isRunning()).isFalse();
      assertThatThrownBy(() -> Resp.call(redis.port(), "PING"))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void stop_thenPing_isConnectionRefused() {
    try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
      redis.stop();

      assertThat(redis.isRunning()).isFalse();
      assertThatThrownBy(() -> Resp.call(redis.port(), "PING"))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void restart_afterKill_servesSamePort() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
      int port = redis.port();
      redis.kill();

      redis.restart();

      assertThat(redis.port()).isEqualTo(port);
      assertThat(Resp.call(port, "PING")).isEqualTo("PONG");
    }
  }

  @Test
  void restart_withoutAppendOnly_losesData() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
      Resp.call(redis.port(), "SET", "k", "v");
      redis.kill();

      redis.restart();

      assertThat(Resp.call(redis.port(), "GET", "k")).isNull();
    }
  }

  @Test
  void restart_withAppendFsyncAlways_keepsKeyWrittenBeforeKill() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.builder().appendOnly(true).build().start()) {
      assertThat(Resp.call(redis.port(), "CONFIG", "GET", "appendfsync"))
          .isEqualTo(List.of("appendfsync", "always"));
      assertThat(Resp.call(redis.port(), "SET", "baton:k", "v1")).isEqualTo("OK");
      redis.kill();

      redis.restart();

      assertThat(Resp.call(redis.port(), "GET", "baton:k")).isEqualTo("v1");
    }
  }

  @Test
  void start_withBadArgument_failsWithLogTail() {
    RedisServerProcess redis =
        RedisServerProcess.builder().extraArgs("--no-such-directive", "1").build();
    Path dir = redis.dir();

    assertThatThrownBy(redis::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("no-such-directive");
    assertThat(dir).doesNotExist();
  }

  @Test
  void start_whenPortTaken_retriesOnFreshPort() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, Resp.LOOPBACK)) {
      int taken = squatter.getLocalPort();
      Iterator<Integer> ports = List.of(taken, RedisServerProcess.freePort(false)).iterator();

      try (RedisServerProcess redis =
          RedisServerProcess.builder().portSource(ports::next).build().start()) {
        assertThat(redis.port()).isNotEqualTo(taken);
        assertThat(Resp.call(redis.port(), "PING")).isEqualTo("PONG");
      }
    }
  }

  @Test
  void start_whenEveryPortTaken_failsAfterThreeAttempts() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, Resp.LOOPBACK)) {
      int taken = squatter.getLocalPort();
      RedisServerProcess redis = RedisServerProcess.builder().portSource(() -> taken).build();

      assertThatThrownBy(redis::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("3 attempts")
          .hasMessageContaining("Address already in use");
    }
  }

  @Test
  void close_deletesDirAndStopsServer() {
    RedisServerProcess redis = RedisServerProcess.builder().appendOnly(true).build().start();
    Path dir = redis.dir();
    int port = redis.port();
    assertThat(Files.isDirectory(dir)).isTrue();

    redis.close();
    redis.close();

    assertThat(dir).doesNotExist();
    assertThat(Resp.ping(port, Duration.ofMillis(500))).isFalse();
    assertThatThrownBy(redis::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void start_whenRunning_isIllegalState() {
    try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
      assertThatThrownBy(redis::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void cluster_afterStart_hasThreeMastersCoveringAllSlots() throws Exception {
    try (RedisCluster cluster = RedisCluster.start()) {
      assertThat(cluster.ports()).hasSize(3).doesNotContain(6379).doesNotHaveDuplicates();
      assertThat(cluster.seedUri()).isEqualTo(cluster.uris().get(0));

      for (int port : cluster.ports()) {
        String info = (String) Resp.call(port, "CLUSTER", "INFO");
        assertThat(info)
            .contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_size:3");
      }
      String nodes = (String) Resp.call(cluster.ports().get(0), "CLUSTER", "NODES");
      int masters = 0;
      int slots = 0;
      for (String line : nodes.split("\n")) {
        String[] fields = line.trim().split(" ");
        if (fields.length < 8 || !fields[2].contains("master")) {
          continue;
        }
        masters++;
        for (int i = 8; i < fields.length; i++) {
          String[] range = fields[i].split("-");
          int from = Integer.parseInt(range[0]);
          int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
          slots += to - from + 1;
        }
      }
      assertThat(masters).isEqualTo(3);
      assertThat(slots).isEqualTo(16384);
    }
  }

  @Test
  void sharedServer_isOneProcessPerJvm() throws Exception {
    RedisServerProcess first = RedisTestServer.shared();

    assertThat(RedisTestServer.shared()).isSameAs(first);
    assertThat(Resp.call(first.port(), "PING")).isEqualTo("PONG");
  }

  @Test
  void requireLoopback_acceptsLoopbackHosts() {
    assertThat(RedisTestServer.requireLoopback("redis://127.0.0.1:7000"))
        .isEqualTo("redis://127.0.0.1:7000");
    assertThat(RedisTestServer.requireLoopback("redis://localhost:7000/0")).isNotNull();
    assertThat(RedisTestServer.requireLoopback("rediss://user:pw@127.1.2.3:7000")).isNotNull();
    assertThat(RedisTestServer.requireLoopback("redis://[::1]:7000")).isNotNull();
  }

  @Test
  void requireLoopback_rejectsOtherHosts() {
    for (String url :
        List.of(
            "redis://10.0.0.5:6379",
            "redis://redis.example.com",
            "redis://127.0.0.1.evil.com:1",
            "redis-socket:///tmp/redis.sock",
            "redis://192.168.1.2")) {
      assertThatThrownBy(() -> RedisTestServer.requireLoopback(url))
          .as(url)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("loopback");
    }
  }
}
