package dev.baton.store.redis;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import dev.baton.store.BatchSaveException;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;
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
 * milliseconds, and saturated at {@link #MAX_TTL_MILLIS}, about 146 million years).
 * {@code GETDEL} needs Redis 6.2 or later. {@link #saveAsync} sends its {@code SET} without
 * waiting, so the writes of a batch are pipelined on the one connection.
 *
 * <p><b>Sealed by default.</b> Values are sealed snapshots ({@link SealingSnapshotCodec}, AES-256-GCM
 * over versioned JSON): whoever reads Redis, its backups, its replication stream or Lettuce's and
 * Netty's debug logs sees no token. {@link Builder#build()} refuses to open a store without
 * {@link Builder#sealingKeys sealing keys} unless the builder says {@link Builder#withoutSealing()}
 * in words; such a plain-text store logs one {@code WARNING} when it opens. {@link #toString()}
 * and {@link #isSealed()} say which it is.
 *
 * <p><b>Interrupts.</b> A command is never abandoned halfway because the calling thread is
 * interrupted: each command runs to its result (bounded by the command timeout) whether an interrupt
 * is pending when it starts or arrives while it waits, and the thread's interrupt flag is set again
 * afterwards. So a restore on an interrupted worker (a pool being shut down) always completes the
 * same way, never fails at random; the task then sees the interrupt and decides what to do. An
 * interrupt never turns into a {@link TokenStoreException}.
 *
 * <p><b>Failures.</b> Every command is bounded by the command timeout; while Redis is unreachable,
 * commands are rejected at once rather than queued. Either way a {@link TokenStoreException} names
 * the command and the task key, never the token. When the store cannot open, the exception's first
 * line names the cause in words (authentication failed, database index out of range, TLS handshake
 * failed, timed out, connection refused), never a password. The connection reconnects by itself when Redis
 * comes back; the same store instance keeps working.
 *
 * <p>Thread-safe. Build one per application and share it.
 */
public final class RedisTokenSnapshotStore implements TokenSnapshotStore {
  /** Default prefix of every key this store writes. */
  public static final String DEFAULT_KEY_PREFIX = "baton:snapshot:";
  /** Default bound on every command, connecting included. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** The value of the URI parameter {@code sealing} that opts out of sealing. */
  static final String NO_SEALING = "none";

  private static final System.Logger LOGGER =
      System.getLogger(RedisTokenSnapshotStore.class.getName());

  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterAsyncCommands<byte[], byte[]> commands;
  private final SnapshotCodec codec;
  private final boolean sealed;
  private final String keyPrefix;
  private final byte[] keyPrefixBytes;
  private final Duration timeout;
  /** The outer bound of a synchronous wait; see {@link #awaitUninterruptibly}. */
  private final long awaitBoundNanos;
  private final String description;
  private volatile boolean closed;

  private RedisTokenSnapshotStore(Builder builder) {
    this.codec = Objects.requireNonNull(builder.codec, "codec");
    this.sealed = codec instanceof SealingSnapshotCodec;
    this.keyPrefix = builder.keyPrefix;
    this.keyPrefixBytes = keyPrefix.getBytes(StandardCharsets.UTF_8);
    this.timeout = builder.commandTimeout;
    this.awaitBoundNanos = saturatedNanos(timeout.multipliedBy(2).plusSeconds(1));
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
      String where = "cluster " + seeds.stream().map(RedisStoreProvider::hostAndPort).toList();
      StatefulRedisClusterConnection<byte[], byte[]> c = connect(cluster, resources, where,
          seeds.get(0).isSsl(),
          () -> warmUp(cluster.connect(ByteArrayCodec.INSTANCE)));
      this.connection = c;
      this.commands = c.async();
      this.description = where;
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
      String where = RedisStoreProvider.hostAndPort(uri);
      StatefulRedisConnection<byte[], byte[]> c = connect(standalone, resources, where,
          uri.isSsl(),
          () -> standalone.connect(ByteArrayCodec.INSTANCE));
      this.connection = c;
      this.commands = c.async();
      this.description = where;
    }
    if (!sealed) {
      LOGGER.log(System.Logger.Level.WARNING, "Redis store " + description + " keeps bearer tokens"
          + " in PLAIN TEXT (sealing=none / withoutSealing()): anyone who can read this Redis, its"
          + " backups or replicas, and Lettuce's or Netty's DEBUG/TRACE logs (which print command"
          + " payloads) can read and replay them. To seal them, give sealing keys instead: "
          + HOW_TO_SEAL);
    }
  }

  private static final String HOW_TO_SEAL = "put a key ring in an environment variable or file,"
      + " e.g. export BATON_SEALING_KEYS=\"k1:$(openssl rand -base64 32)\" (an id, a colon, and"
      + " 32 random bytes in base64; see SealingKeyRing), then add"
      + " sealingKeys=env:BATON_SEALING_KEYS (or sealingKeys=file:/path/to/keys) to the store URI,"
      + " or call RedisTokenSnapshotStore.builder().sealingKeys(SealingKeyRing.fromEnvironment("
      + "\"BATON_SEALING_KEYS\"))";

  /**
   * Why a store without sealing keys is refused, and what to do: for the builder and the URI
   * provider alike.
   */
  static String sealingRequired(boolean fromUri) {
    return "a Redis store needs sealing keys: without them bearer tokens sit in Redis, its backups"
        + " and Lettuce's debug logs as plain text. To seal them, " + HOW_TO_SEAL + ". To store"
        + " them in plain text on purpose, say so: "
        + (fromUri ? "add sealing=none to the store URI" : "call withoutSealing() on the builder")
        + " (the store then logs a WARNING when it opens).";
  }

  /** A builder: set {@link Builder#uri} (standalone) or {@link Builder#cluster} (Redis Cluster). */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    run("SET", key, set(key, snapshot, ttl));
  }

  /**
   * The {@code SET key value PX ttl} that {@link #save} and {@link #saveAsync} send, after the
   * checks both make before anything is sent: null arguments, the TTL, a closed store, and the
   * codec's size limit ({@link IllegalArgumentException} when too large).
   */
  private Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<String>> set(
      TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    long millis = ttlMillis(ttl);
    checkOpen();
    byte[] value = codec.encode(key, snapshot);
    return c -> c.set(commandKey(key), value, SetArgs.Builder.px(millis));
  }

  /**
   * Sends {@code SET key value PX ttl} and returns at once; the stage completes on Lettuce's I/O
   * thread when Redis has replied. Calls from any number of threads share the one connection, so
   * many writes in flight are pipelined: a batch of captures costs about one round trip, not one
   * per capture.
   *
   * <p>As {@link #save}: the same codec (sealed or not), the same size check and TTL rounding, the
   * same key. Argument errors, an oversized snapshot and a closed store throw at once, before
   * anything is sent. Every Redis or connection failure, including the command timeout, completes
   * the stage exceptionally with a {@link TokenStoreException} that names the key, never the token
   * (with {@link IllegalStateException} instead if the store was closed meanwhile). Lettuce
   * completes every command within the command timeout, so the stage never stays pending.
   */
  @Override
  public CompletionStage<Void> saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    var set = set(key, snapshot, ttl);
    var stored = new CompletableFuture<Void>();
    RedisFuture<String> reply;
    try {
      reply = set.apply(commands);
    } catch (RuntimeException e) {
      stored.completeExceptionally(translate("SET", key, e));
      return stored;
    }
    reply.whenComplete((ok, error) -> {
      if (error == null) {
        stored.complete(null);
      } else {
        stored.completeExceptionally(translate("SET", key, unchecked(error)));
      }
    });
    return stored;
  }

  /** Keys per chunk of a batch: one {@code dispatch}, so one write and flush, per chunk. */
  static final int BATCH_CHUNK = 256;

  /**
   * Sends {@code SET key value PX ttl} for every key and returns once every command is queued; the
   * stage completes on Lettuce's I/O thread when Redis has answered them all (see
   * {@link TokenSnapshotStore#saveAllAsync} for the contract: all stored, or a
   * {@link dev.baton.store.BatchSaveException} naming each key that failed).
   *
   * <p>Each value is what {@link #save} writes for its key (it loads through {@link #load}): the
   * JSON is written once for the batch ({@link SnapshotCodec#encoderFor}) and, on a sealed store,
   * sealed once per key, since the task key is the associated data that binds a value to its key.
   * The keys are cut into chunks of {@value #BATCH_CHUNK}; each chunk is handed to Lettuce as one
   * command list ({@code dispatch}), so it is written and flushed to the socket once, not once per
   * command, on the store's one connection (no connection-wide auto-flush setting is touched, so
   * other callers of the store are unaffected). On a sealed store the chunks are sealed by the
   * calling thread and, for a batch of more than one chunk, by tasks on the common
   * {@link ForkJoinPool} too; the calling thread seals chunks until none is left, so the batch never
   * waits for a busy pool. Argument errors, an oversized snapshot and a closed store throw at once,
   * before anything is sent.
   */
  @Override
  public CompletionStage<Void> saveAllAsync(
      Collection<TaskKey> keys, TokenSnapshot snapshot, Duration ttl) {
    List<TaskKey> batch = List.copyOf(keys);
    Objects.requireNonNull(snapshot, "snapshot");
    long millis = ttlMillis(ttl);
    checkOpen();
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Function<TaskKey, byte[]> values = codec.encoderFor(snapshot);
    // The first value now, on this thread: a snapshot over the size limit throws here, with
    // nothing sent (every key's value has the same size but for the key's own bytes in the AEAD).
    byte[] first = values.apply(batch.get(0));
    var write = new BatchWrite(batch, values, first, SetArgs.Builder.px(millis));
    int helpers = sealed ? Math.min(ForkJoinPool.getCommonPoolParallelism(), write.chunks - 1) : 0;
    for (int i = 0; i < helpers; i++) {
      // The common pool, not threads of the store's own: sealing is pure CPU and never blocks
      // (dispatch only queues commands for Netty's event loop), which is the work the common pool
      // is for, and a pool of the store's own would have to be sized and shut down with it. The
      // calling thread drains chunks too, so a saturated common pool delays nothing: its tasks
      // then find no chunk left and return.
      try {
        ForkJoinPool.commonPool().execute(write::drain);
      } catch (RejectedExecutionException e) {
        break; // the calling thread writes every chunk
      }
    }
    write.drain();
    return write.stored;
  }

  /**
   * One {@link #saveAllAsync} call in progress: chunks are claimed by index, so each is written by
   * exactly one thread; the stage completes when every key has an outcome.
   */
  private final class BatchWrite {
    private final List<TaskKey> batch;
    private final Function<TaskKey, byte[]> values;
    private final byte[] first;
    private final SetArgs px;
    private final int chunks;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger pending;
    private final ConcurrentHashMap<TaskKey, Throwable> failures = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> stored = new CompletableFuture<>();

    BatchWrite(List<TaskKey> batch, Function<TaskKey, byte[]> values, byte[] first, SetArgs px) {
      this.batch = batch;
      this.values = values;
      this.first = first;
      this.px = px;
      this.chunks = (batch.size() + BATCH_CHUNK - 1) / BATCH_CHUNK;
      this.pending = new AtomicInteger(batch.size());
    }

    /** Writes chunks until none is left. */
    void drain() {
      for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
        writeChunk(c * BATCH_CHUNK, Math.min(batch.size(), (c + 1) * BATCH_CHUNK));
      }
    }

    private void writeChunk(int from, int to) {
      var commands = new ArrayList<AsyncCommand<byte[], byte[], String>>(to - from);
      for (int i = from; i < to; i++) {
        TaskKey key = batch.get(i);
        try {
          byte[] value = i == 0 ? first : values.apply(key);
          // As RedisCommandBuilder.set builds it for commands.set(key, value, px): the same bytes
          // on the wire as save sends. The Redis key is not cached (recentKeys is for one task's
          // SET, GET and DEL; a batch would only evict it).
          var args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(redisKey(key))
              .addValue(value);
          px.build(args);
          var command = new AsyncCommand<>(new Command<>(
              CommandType.SET, new StatusOutput<>(ByteArrayCodec.INSTANCE), args));
          var unused = command.whenComplete((ok, error) -> settle(key, error));
          commands.add(command);
        } catch (RuntimeException e) {
          settle(key, e);
        }
      }
      if (commands.isEmpty()) {
        return;
      }
      try {
        connection.dispatch(commands);
      } catch (RuntimeException e) {
        // Not queued (a closed connection): each command's outcome is this failure.
        commands.forEach(command -> command.completeExceptionally(e));
      }
    }

    /** Records one key's outcome; the last one completes the stage. */
    private void settle(TaskKey key, @Nullable Throwable error) {
      if (error != null) {
        failures.put(key, translate("SET", key, unchecked(error)));
      }
      if (pending.decrementAndGet() == 0) {
        if (failures.isEmpty()) {
          stored.complete(null);
        } else {
          stored.completeExceptionally(new BatchSaveException(batch.size(), failures));
        }
      }
    }
  }

  @Override
  public Optional<TokenSnapshot> load(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    return decode(key, run("GET", key, RedisClusterAsyncCommands::get));
  }

  @Override
  public boolean delete(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    Long removed = run("DEL", key, (c, redisKey) -> c.del(redisKey));
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
    return decode(key, run("GETDEL", key, RedisClusterAsyncCommands::getdel));
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL;
  }

  /** Slots of {@link #recentKeys}; a power of two. */
  private static final int RECENT_KEYS = 16;

  /**
   * The Redis keys of recently used task keys, direct-mapped by the task key's hash: a task's
   * capture, restore and cleanup (SET, GET, DEL) then encode its key once, not three times. Equal
   * task keys always give equal Redis keys, so a racing or stale slot can only cost an encoding.
   * The arrays are shared by the commands that send them and never written after they are made.
   * Holds task keys only (not secret), at most {@value #RECENT_KEYS}.
   */
  private final AtomicReferenceArray<@Nullable RecentKey> recentKeys =
      new AtomicReferenceArray<>(RECENT_KEYS);

  /** A task key and its Redis key. */
  private static final class RecentKey {
    private final TaskKey key;
    private final byte[] redisKey;

    RecentKey(TaskKey key, byte[] redisKey) {
      this.key = key;
      this.redisKey = redisKey;
    }

    TaskKey key() {
      return key;
    }

    byte[] redisKey() {
      return redisKey;
    }
  }

  /** The Redis key of {@code key} for a command (see {@link #recentKeys}); never handed out. */
  private byte[] commandKey(TaskKey key) {
    int slot = key.hashCode() & (RECENT_KEYS - 1);
    RecentKey recent = recentKeys.get(slot);
    if (recent != null && recent.key().equals(key)) {
      return recent.redisKey();
    }
    byte[] redisKey = redisKey(key);
    recentKeys.set(slot, new RecentKey(key, redisKey));
    return redisKey;
  }

  /** The Redis key a task's snapshot is stored under: the prefix, then {@link TaskKey#encoded()}. */
  public byte[] redisKey(TaskKey key) {
    // The prefix's bytes are encoded once; the result equals (keyPrefix + encoded) in UTF-8, since
    // a TaskKey holds no unpaired surrogate that could pair up across the join. An ASCII key (every
    // random key) is written straight into the result: one array per command, not three.
    String text = key.encoded();
    int length = text.length();
    byte[] ascii = Arrays.copyOf(keyPrefixBytes, keyPrefixBytes.length + length);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return utf8RedisKey(text);
      }
      ascii[keyPrefixBytes.length + i] = (byte) c;
    }
    return ascii;
  }

  private byte[] utf8RedisKey(String text) {
    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
    byte[] redisKey = Arrays.copyOf(keyPrefixBytes, keyPrefixBytes.length + encoded.length);
    System.arraycopy(encoded, 0, redisKey, keyPrefixBytes.length, encoded.length);
    return redisKey;
  }

  /**
   * Whether values are sealed at rest (the codec is a {@link SealingSnapshotCodec}); false only for
   * a store built {@link Builder#withoutSealing() withoutSealing()}.
   */
  public boolean isSealed() {
    return sealed;
  }

  /** Closes the connection and releases the client's threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Uninterruptibly: Lettuce's shutdown would throw on a pending interrupt, and close never throws.
    boolean interrupted = Thread.interrupted();
    try {
      connection.close();
      client.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
      // Not awaited: it is bounded by the timeout, and a failed shutdown leaves nothing to do.
      var unused = resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Where, whether sealed (with the key ids, never key material), prefix, timeout and state. */
  @Override
  public String toString() {
    return "RedisTokenSnapshotStore[" + description + ", "
        + (sealed ? "sealed (" + codec + ")" : "NOT sealed (sealing=none)") + ", keyPrefix="
        + keyPrefix + ", timeout=" + timeout + ", closed=" + closed + "]";
  }

  /**
   * Sends one single-key command to the task's Redis key and waits for its result (see
   * {@link #run(String, TaskKey, Function)}). {@code call} takes the Redis key as an argument, so a
   * non-capturing lambda or method reference serves every operation: no object per command.
   */
  private <T> @Nullable T run(String command, TaskKey key,
      BiFunction<RedisClusterAsyncCommands<byte[], byte[]>, byte[], RedisFuture<T>> call) {
    RedisFuture<T> future;
    try {
      future = call.apply(commands, commandKey(key));
    } catch (RuntimeException e) {
      throw translate(command, key, e);
    }
    return await(command, key, future);
  }

  /**
   * Sends one command and waits for its result uninterruptibly (see the class comment): an
   * interrupt, pending or arriving, neither cancels the wait nor is lost.
   */
  private <T> @Nullable T run(String command, TaskKey key,
      Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> call) {
    RedisFuture<T> future;
    try {
      future = call.apply(commands);
    } catch (RuntimeException e) {
      throw translate(command, key, e);
    }
    return await(command, key, future);
  }

  /** Waits for a sent command; failures mapped as {@link #run} documents. */
  private <T> @Nullable T await(String command, TaskKey key, RedisFuture<T> future) {
    try {
      return awaitUninterruptibly(future);
    } catch (ExecutionException e) {
      throw translate(command, key, unchecked(e.getCause() == null ? e : e.getCause()));
    } catch (TimeoutException e) {
      throw new TokenStoreException("Redis " + command + " for task " + key + " timed out after "
          + timeout, e);
    } catch (RuntimeException e) {
      throw translate(command, key, e);
    }
  }

  /** Lettuce's failure as the runtime exception {@link RedisErrors} maps. */
  private static RuntimeException unchecked(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return cause instanceof RuntimeException r ? r
        : new RedisException(cause.getClass().getSimpleName(), cause);
  }

  private RuntimeException translate(String command, TaskKey key, RuntimeException e) {
    if (closed) {
      return new IllegalStateException("store is closed", e);
    }
    return RedisErrors.translate(command, key, timeout, e);
  }

  /**
   * Waits for {@code future}, ignoring interrupts until it completes and then restoring the flag.
   * Lettuce completes every command within the command timeout (TimeoutOptions); the outer bound
   * of twice that plus a second only guards against a command that Lettuce never completes.
   */
  private <T> T awaitUninterruptibly(Future<T> future) throws ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + awaitBoundNanos;
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
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

  /** Connects, and maps a failure to a message whose first line names the cause. */
  private static <C> C connect(AbstractRedisClient owner, ClientResources resources, String where,
      boolean tls, Supplier<C> connect) {
    try {
      return connectRetryingALostReason(connect);
    } catch (RuntimeException e) {
      owner.shutdown(0, 2, TimeUnit.SECONDS);
      var unused = resources.shutdown(0, 2, TimeUnit.SECONDS); // bounded; nothing to do if it fails
      throw RedisErrors.connectFailed(where, tls, e);
    }
  }

  /**
   * A failure whose reason Lettuce lost ({@link RedisErrors#lostHandshakeReason}) is tried once
   * more, so that the message can name the server's reply (a refused password, say).
   */
  private static <C> C connectRetryingALostReason(Supplier<C> connect) {
    try {
      return connect.get();
    } catch (RuntimeException e) {
      if (!RedisErrors.lostHandshakeReason(e)) {
        throw e;
      }
      return connect.get();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 4;
    }
  }

  /**
   * The longest TTL sent to Redis, in milliseconds (about 146 million years); longer TTLs are sent
   * as this. Redis refuses a {@code PX} or {@code PEXPIRE} whose sum with its own clock overflows
   * a signed 64-bit integer ({@code ERR invalid expire time}; Redis 7's
   * {@code getExpireMillisecondsOrReply} and {@code expireGenericCommand}), so the largest it
   * accepts is {@code Long.MAX_VALUE} minus the server's time in milliseconds, which the client
   * does not know. Half the range leaves the other half to the server's clock: accepted by every
   * server whose clock reads before the year 146,000,000, and never wrapped by older servers that
   * add without checking.
   */
  public static final long MAX_TTL_MILLIS = Long.MAX_VALUE / 2;

  /** The TTL in whole milliseconds: rounded up, never down, and saturated at MAX_TTL_MILLIS. */
  static long ttlMillis(Duration ttl) {
    TokenSnapshotStore.requirePositiveTtl(ttl);
    // Round up: a store may lengthen a TTL to its granularity, never shorten it.
    try {
      long millis = ttl.toMillis();
      long up = ttl.equals(Duration.ofMillis(millis)) ? millis : Math.addExact(millis, 1);
      return Math.min(up, MAX_TTL_MILLIS);
    } catch (ArithmeticException tooLong) {
      return MAX_TTL_MILLIS;
    }
  }

  /** The longest {@link Builder#commandTimeout}: {@link Integer#MAX_VALUE} ms, about 24.8 days. */
  public static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

  /** Configures a {@link RedisTokenSnapshotStore}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String uri;
    private @Nullable List<String> clusterSeeds;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private @Nullable SnapshotCodec codec;
    private boolean withoutSealing;

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
     * @throws IllegalArgumentException if not positive, or longer than {@link #MAX_COMMAND_TIMEOUT}
     */
    public Builder commandTimeout(Duration commandTimeout) {
      Objects.requireNonNull(commandTimeout, "commandTimeout");
      if (commandTimeout.isNegative() || commandTimeout.isZero()) {
        throw new IllegalArgumentException("commandTimeout must be positive: " + commandTimeout);
      }
      if (commandTimeout.compareTo(MAX_COMMAND_TIMEOUT) > 0) {
        // Netty's connect timeout is an int of milliseconds, and deadlines are nanoTime sums: a
        // longer timeout would overflow (ArithmeticException or a negative timeout) at connect time.
        throw new IllegalArgumentException("commandTimeout must be at most " + MAX_COMMAND_TIMEOUT
            + " (an int of milliseconds, Netty's connect timeout): " + commandTimeout);
      }
      this.commandTimeout = commandTimeout;
      return this;
    }

    /**
     * Seals every value with {@code keys}: {@link SealingSnapshotCodec} over the default
     * {@link JsonSnapshotCodec}. The usual way to configure a store; replaces any {@link #codec}.
     */
    public Builder sealingKeys(SealingKeyRing keys) {
      Objects.requireNonNull(keys, "keys");
      this.codec = SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(), keys);
      return this;
    }

    /**
     * How values are encoded. A codec that is not a {@link SealingSnapshotCodec} keeps tokens in
     * plain text and needs {@link #withoutSealing()} as well; prefer {@link #sealingKeys}.
     */
    public Builder codec(SnapshotCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Stores bearer tokens in plain text, on purpose: versioned JSON that anyone who reads Redis (or
     * Lettuce's debug logs) can read and replay. The store logs a {@code WARNING} when it opens.
     * For tests and for deployments where Redis itself is the trust boundary; every other store
     * should use {@link #sealingKeys}.
     */
    public Builder withoutSealing() {
      this.withoutSealing = true;
      return this;
    }

    /**
     * Connects and returns the store.
     *
     * @throws IllegalStateException if neither {@link #uri} nor {@link #cluster} was set; if no
     *     sealing codec was set and {@link #withoutSealing()} was not called (the message says how
     *     to add keys or opt out); or if both a sealing codec and {@code withoutSealing()} were
     * @throws IllegalArgumentException if a URI is malformed
     * @throws TokenStoreException if Redis cannot be reached within the command timeout; the first
     *     line of the message names the cause
     */
    public RedisTokenSnapshotStore build() {
      if (uri == null && clusterSeeds == null) {
        throw new IllegalStateException("set uri(...) or cluster(...)");
      }
      boolean sealing = codec instanceof SealingSnapshotCodec;
      if (sealing && withoutSealing) {
        throw new IllegalStateException("withoutSealing() contradicts the sealing codec set by"
            + " sealingKeys(...) or codec(...): choose one");
      }
      if (!sealing && !withoutSealing) {
        throw new IllegalStateException((codec == null ? "" : "codec " + codec + " does not seal; ")
            + sealingRequired(false));
      }
      if (codec == null) {
        codec = JsonSnapshotCodec.create();
      }
      // Open uninterruptibly, like every command: a pending interrupt would otherwise make opening
      // fail at random (Netty and Lettuce wait on futures), and some of their waits swallow it.
      boolean interrupted = Thread.interrupted();
      try {
        return new RedisTokenSnapshotStore(this);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
