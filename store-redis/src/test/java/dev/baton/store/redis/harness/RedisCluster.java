package dev.baton.store.redis.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of {@code redis-server} masters (no replicas) on free ports of {@code
 * 127.0.0.1}, each in its own temp directory, created with {@code redis-cli --cluster create ...
 * --cluster-replicas 0 --cluster-yes}.
 *
 * <p>{@link #start()} returns once {@code CLUSTER INFO} on every node reports {@code
 * cluster_state:ok} and every node knows all the others, so a client that connects right away sees
 * the full slot map. {@link #close()} stops every node and deletes the directories. Not
 * thread-safe; share one instance per test class.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start()) {
 *     RedisClusterClient client = RedisClusterClient.create(RedisURI.create(cluster.seedUri()));
 * }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {

  /** {@code redis-cli --cluster create} refuses fewer masters than this. */
  public static final int MIN_MASTERS = 3;

  /** How long {@link #start()} waits for {@code cluster_state:ok}. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServerProcess> nodes;

  private RedisCluster(List<RedisServerProcess> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** Starts a cluster of three masters. */
  public static RedisCluster start() {
    return start(MIN_MASTERS);
  }

  /**
   * Starts a cluster of {@code masters} masters and waits until it is usable.
   *
   * @throws IllegalArgumentException when {@code masters < 3}
   * @throws IllegalStateException when a binary is missing or the cluster does not form in time
   *     (the message holds redis-cli's output or the nodes' state)
   */
  public static RedisCluster start(int masters) {
    if (masters < MIN_MASTERS) {
      throw new IllegalArgumentException(
          "a cluster needs at least " + MIN_MASTERS + " masters: " + masters);
    }
    Path cli = RedisBinaries.cli();
    List<RedisServerProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        started.add(RedisServerProcess.builder().clusterEnabled(true).build().start());
      }
      RedisCluster cluster = new RedisCluster(started);
      cluster.create(cli);
      cluster.awaitReady(DEFAULT_READY_TIMEOUT);
      return cluster;
    } catch (RuntimeException e) {
      for (RedisServerProcess node : started) {
        try {
          node.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** The nodes, in creation order; kill or restart one to test failures. */
  public List<RedisServerProcess> nodes() {
    return nodes;
  }

  /** The nodes' ports, in creation order. */
  public List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    for (RedisServerProcess node : nodes) {
      ports.add(node.port());
    }
    return List.copyOf(ports);
  }

  /** {@code redis://127.0.0.1:PORT} for every node, in creation order. */
  public List<String> uris() {
    List<String> uris = new ArrayList<>();
    for (RedisServerProcess node : nodes) {
      uris.add(node.uri());
    }
    return List.copyOf(uris);
  }

  /** The first node's URI: enough for a cluster client to discover the rest. */
  public String seedUri() {
    return nodes.get(0).uri();
  }

  /** Stops every node and deletes their directories. Idempotent. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (RedisServerProcess node : nodes) {
      try {
        node.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "RedisCluster" + ports();
  }

  private void create(Path cli) {
    List<String> command = new ArrayList<>();
    command.add(cli.toString());
    command.add("--cluster");
    command.add("create");
    for (int port : ports()) {
      command.add("127.0.0.1:" + port);
    }
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    Path output = nodes.get(0).dir().resolve("cluster-create.log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(DEFAULT_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(RedisServerProcess.DEFAULT_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        throw new IllegalStateException(
            "redis-cli --cluster create did not finish within "
                + DEFAULT_READY_TIMEOUT
                + "\n"
                + read(output));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "redis-cli --cluster create failed with code "
                + p.exitValue()
                + ": "
                + String.join(" ", command)
                + "\n"
                + read(output));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cli, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the cluster", e);
    }
  }

  /**
   * Waits until every node reports {@code cluster_state:ok} and knows all the others, e.g. after
   * nodes were {@linkplain RedisServerProcess#restart() restarted} (a restarted node answers {@code
   * CLUSTERDOWN} until it has heard from the rest, about {@code cluster-node-timeout}).
   *
   * @return this
   * @throws IllegalStateException when the cluster is not ready within {@link
   *     #DEFAULT_READY_TIMEOUT} (the message holds the nodes' state)
   */
  public RedisCluster awaitReady() {
    awaitReady(DEFAULT_READY_TIMEOUT);
    return this;
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (true) {
      boolean ready = true;
      StringBuilder state = new StringBuilder();
      for (RedisServerProcess node : nodes) {
        String info = clusterInfo(node.port());
        state
            .append("127.0.0.1:")
            .append(node.port())
            .append(" → ")
            .append(summary(info))
            .append('\n');
        if (!info.contains("cluster_state:ok\r\n")
            || !info.contains("cluster_known_nodes:" + nodes.size() + "\r\n")) {
          ready = false;
        }
      }
      if (ready) {
        return;
      }
      last = state.toString();
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("cluster not ready within " + timeout + ":\n" + last);
      }
      RedisServerProcess.pause();
    }
  }

  private static String clusterInfo(int port) {
    try {
      Object reply = Resp.call(port, "CLUSTER", "INFO");
      return reply instanceof String ? (String) reply : "";
    } catch (IOException | Resp.ErrorReply e) {
      return "unreachable: " + e;
    }
  }

  private static String summary(String info) {
    StringBuilder out = new StringBuilder();
    for (String line : info.split("\r\n")) {
      if (line.startsWith("cluster_state:")
          || line.startsWith("cluster_known_nodes:")
          || line.startsWith("cluster_slots_assigned:")
          || line.startsWith("unreachable")) {
        out.append(line).append(' ');
      }
    }
    return out.toString().trim();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }
}
