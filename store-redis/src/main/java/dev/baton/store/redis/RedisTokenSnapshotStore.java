package dev.baton.store.redis;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenSnapshotStore} on Redis, standalone or Redis Cluster, through one shared
 * thread-safe Lettuce connection.
 *
 * <p>Each operation is one single-key command ({@code SET key value PX ttl}, {@code GET},
 * {@code GETDEL}, {@code DEL}, {@code PEXPIRE}), so Redis Cluster never sees a cross-slot request and
 * Redis's own clock applies every TTL (millisecond granularity; TTLs are rounded up to whole
 * milliseconds). Values are bytes from a {@link SnapshotCodec}: versioned JSON by default, or a
 * sealing codec to encrypt tokens at rest. {@code GETDEL} needs Redis 6.2 or later.
 *
 * <p><b>Failures.</b> Every command is bounded by the command timeout; while Redis is unreachable,
 * commands are rejected at once rather than queued. Either way a {@link TokenStoreException} names
 * the command and the task key, never the token. The connection reconnects by itself when Redis
 * comes back; the same store instance keeps working.
 *
 * <p>Thread-safe. Build one per application and share it.
 */
public final class RedisTokenSnapshotStore implements TokenSnapshotStore {
  /** Default prefix of every key this store writes. */
  public static final String DEFAULT_KEY_PREFIX = "baton:snapshot:";
  /** Default bound on every command, connecting included. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterCommands<byte[], byte[]> commands;
  private final SnapshotCodec codec;
  private final String keyPrefix;
  private final Duration timeout;
  private final String description;
  private volatile boolean closed;

  private RedisTokenSnapshotStore(Builder builder) {
    this.codec = builder.codec;
    this.keyPrefix = builder.keyPrefix;
    this.timeout = builder.commandTimeout;
    // Lettuce's default reconnect backoff grows to 30 s: after a long outage the store would stay
    // down long after Redis came back. Cap it well below the command timeout's order of magnitude.
    // URIs are parsed before the client resources start: a malformed one must not leave their
    // threads behind (Lettuce would warn that they were never shut down).
    List<RedisURI> clusterSeeds = builder.clusterSeeds == null ? List.of()
        : builder.clusterSeeds.stream().map(u -> withTimeout(parse(u), timeout)).toList();
    @Nullable RedisURI standaloneUri = builder.clusterSeeds != null ? null
        : withTimeout(parse(Objects.requireNonNull(builder.uri, "uri")), timeout);
    this.resources = DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(
            Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
        .build();
    SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
    if (standaloneUri == null) {
      List<RedisURI> seeds = clusterSeeds;
      RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
      cluster.setOptions(ClusterClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .socketOptions(socket)
          .timeoutOptions(timeouts)
          .build()); // Lettuce 7 refreshes the topology on MOVED/ASK and reconnects by default.
      this.client = cluster;
      StatefulRedisClusterConnection<byte[], byte[]> c = connect(cluster, resources,
          () -> warmUp(cluster.connect(ByteArrayCodec.INSTANCE)));
      this.connection = c;
      this.commands = c.sync();
      this.description = "cluster " + seeds.stream().map(RedisStoreProvider::hostAndPort).toList();
    } else {
      RedisURI uri = standaloneUri;
      RedisClient standalone = RedisClient.create(resources, uri);
      standalone.setOptions(ClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .socketOptions(socket)
          .timeoutOptions(timeouts)
          .build());
      this.client = standalone;
      StatefulRedisConnection<byte[], byte[]> c = connect(standalone, resources,
          () -> standalone.connect(ByteArrayCodec.INSTANCE));
      this.connection = c;
      this.commands = c.sync();
      this.description = RedisStoreProvider.hostAndPort(uri);
    }
  }

  /** A builder: set {@link Builder#uri} (standalone) or {@link Builder#cluster} (Redis Cluster). */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    long millis = ttlMillis(ttl);
    checkOpen();
    byte[] value = codec.encode(key, snapshot); // IllegalArgumentException when too large
    run("SET", key, c -> c.set(redisKey(key), value, SetArgs.Builder.px(millis)));
  }

  @Override
  public Optional<TokenSnapshot> load(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    return decode(key, run("GET", key, c -> c.get(redisKey(key))));
  }

  @Override
  public boolean delete(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    Long removed = run("DEL", key, c -> c.del(redisKey(key)));
    return removed != null && removed > 0;
  }

  @Override
  public boolean touch(TaskKey key, Duration ttl) {
    Objects.requireNonNull(key, "key");
    long millis = ttlMillis(ttl);
    checkOpen();
    return Boolean.TRUE.equals(run("PEXPIRE", key, c -> c.pexpire(redisKey(key), millis)));
  }

  @Override
  public Optional<TokenSnapshot> take(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    return decode(key, run("GETDEL", key, c -> c.getdel(redisKey(key))));
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL;
  }

  /** The Redis key a task's snapshot is stored under: the prefix, then {@link TaskKey#encoded()}. */
  public byte[] redisKey(TaskKey key) {
    return (keyPrefix + key.encoded()).getBytes(StandardCharsets.UTF_8);
  }

  /** Closes the connection and releases the client's threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    connection.close();
    client.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    // Not awaited: it is bounded by the timeout, and a failed shutdown leaves nothing to do.
    var unused = resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public String toString() {
    return "RedisTokenSnapshotStore[" + description + ", keyPrefix=" + keyPrefix + ", timeout="
        + timeout + ", closed=" + closed + "]";
  }

  private <T> @Nullable T run(
      String command, TaskKey key, Function<RedisClusterCommands<byte[], byte[]>, T> call) {
    try {
      return call.apply(commands);
    } catch (RuntimeException e) {
      if (closed) {
        throw new IllegalStateException("store is closed", e);
      }
      throw RedisErrors.translate(command, key, timeout, e);
    }
  }

  private Optional<TokenSnapshot> decode(TaskKey key, byte @Nullable [] value) {
    return value == null ? Optional.empty() : Optional.of(codec.decode(key, value));
  }

  private static RedisURI parse(String uri) {
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      // Lettuce's message may quote the URI, password included: say it in our own words.
      throw new IllegalArgumentException(
          "malformed Redis uri (scheme, host, port or parameters could not be read)");
    }
  }

  private static RedisURI withTimeout(RedisURI uri, Duration timeout) {
    // The sync API waits for the URI's timeout (60 s by default): bound it like every command.
    return RedisURI.builder(uri).withTimeout(timeout).build();
  }

  /**
   * Opens the per-node connections now. They open lazily otherwise, and under
   * {@code REJECT_COMMANDS} the first command routed to each node would be rejected while its
   * connection is still pending. Routing keys connections by host and port, so warm up by those.
   */
  private static StatefulRedisClusterConnection<byte[], byte[]> warmUp(
      StatefulRedisClusterConnection<byte[], byte[]> connection) {
    for (RedisClusterNode node : connection.getPartitions()) {
      RedisURI uri = node.getUri();
      connection.getConnection(uri.getHost(), uri.getPort()).sync().ping();
    }
    return connection;
  }

  private static <C> C connect(
      AbstractRedisClient owner, ClientResources resources, Supplier<C> connect) {
    try {
      return connect.get();
    } catch (RuntimeException e) {
      owner.shutdown(0, 2, TimeUnit.SECONDS);
      var unused = resources.shutdown(0, 2, TimeUnit.SECONDS); // bounded; nothing to do if it fails
      throw new TokenStoreException("could not connect to Redis: " + e.getMessage(), e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
  }

  private static long ttlMillis(Duration ttl) {
    TokenSnapshotStore.requirePositiveTtl(ttl);
    // Round up: a store may lengthen a TTL to its granularity, never shorten it.
    try {
      long millis = ttl.toMillis();
      return ttl.equals(Duration.ofMillis(millis)) ? millis : Math.addExact(millis, 1);
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 2;
    }
  }

  /** Configures a {@link RedisTokenSnapshotStore}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String uri;
    private @Nullable List<String> clusterSeeds;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private SnapshotCodec codec = JsonSnapshotCodec.create();

    private Builder() {}

    /**
     * A standalone Redis server, as a Lettuce URI: {@code redis://[user:password@]host:port[/db]},
     * or {@code rediss://...} for TLS.
     */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      this.clusterSeeds = null;
      return this;
    }

    /**
     * A Redis Cluster, discovered from these seed nodes (Lettuce URIs, as for {@link #uri}).
     *
     * @throws IllegalArgumentException if {@code seeds} is empty
     */
    public Builder cluster(List<String> seeds) {
      Objects.requireNonNull(seeds, "seeds");
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("seeds must not be empty");
      }
      this.clusterSeeds = List.copyOf(seeds);
      this.uri = null;
      return this;
    }

    /** The prefix of every key; defaults to {@link #DEFAULT_KEY_PREFIX}. */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * The bound on connecting and on every command; defaults to {@link #DEFAULT_COMMAND_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder commandTimeout(Duration commandTimeout) {
      Objects.requireNonNull(commandTimeout, "commandTimeout");
      if (commandTimeout.isNegative() || commandTimeout.isZero()) {
        throw new IllegalArgumentException("commandTimeout must be positive: " + commandTimeout);
      }
      this.commandTimeout = commandTimeout;
      return this;
    }

    /** How values are encoded; defaults to {@link JsonSnapshotCodec#create()}. */
    public Builder codec(SnapshotCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Connects and returns the store.
     *
     * @throws IllegalStateException if neither {@link #uri} nor {@link #cluster} was set
     * @throws IllegalArgumentException if a URI is malformed
     * @throws TokenStoreException if Redis cannot be reached within the command timeout
     */
    public RedisTokenSnapshotStore build() {
      if (uri == null && clusterSeeds == null) {
        throw new IllegalStateException("set uri(...) or cluster(...)");
      }
      return new RedisTokenSnapshotStore(this);
    }
  }
}
