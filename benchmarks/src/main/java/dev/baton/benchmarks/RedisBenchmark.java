package dev.baton.benchmarks;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CleanupPolicy;
import dev.baton.RestoreFailurePolicy;
import dev.baton.RestoreMode;
import dev.baton.TaskKey;
import dev.baton.store.redis.RedisTokenSnapshotStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Redis store against a real {@code redis-server} on loopback (its URI in the system property
 * {@value #URI_PROPERTY}; {@code benchmarks/run} starts one and passes it), beside raw Lettuce.
 *
 * <ul>
 *   <li>{@link #batonLoad}: {@code baton.run(baton.capture(), task)} with the production defaults
 *       (sealed, {@link RestoreMode#LOAD}): SET PX, GET, DEL — three round trips;
 *   <li>{@link #batonTake}: the same with {@link RestoreMode#TAKE} (at most once): SET PX, GETDEL —
 *       two round trips;
 *   <li>{@link #batonLoadPlain} / {@link #batonTakePlain}: the same two on a store without sealing
 *       (the JSON codec alone), the rows issue 28's Redis targets compare with raw Lettuce;
 *   <li>{@link #rawLoadPeer} / {@link #rawTakePeer}: raw Lettuce doing the same commands with the
 *       same bytes (the sealed snapshot Baton stores) on one shared connection, synchronously.
 * </ul>
 *
 * <p>Each a capture, a restore and its cleanup per operation, as throughput and as sampled time (for
 * p50 / p99). One Baton store and one raw connection are shared by all benchmark threads; the
 * runner runs this class with 1 and with 8 threads. Every Baton task checks it ran as its caller;
 * a miss fails the iteration.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedisBenchmark {
  /** The system property holding the Redis URI, e.g. {@code redis://127.0.0.1:6390}. */
  static final String URI_PROPERTY = "baton.bench.redis";
  private static final Duration TTL = Duration.ofMinutes(5);

  static String redisUri() {
    String uri = System.getProperty(URI_PROPERTY);
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException("no Redis to measure: pass -D" + URI_PROPERTY
          + "=redis://127.0.0.1:PORT (benchmarks/run starts a redis-server and does so)");
    }
    return uri;
  }

  /** The two Batons (LOAD, TAKE) on one sealed store, and the raw connection; shared by threads. */
  @State(Scope.Benchmark)
  public static class Redis {
    @Nullable RedisTokenSnapshotStore store;
    @Nullable Baton load;
    @Nullable Baton take;
    /** The same, on a store without sealing (the JSON codec alone): the issue 28 plain rows. */
    @Nullable RedisTokenSnapshotStore plainStore;
    @Nullable Baton plainLoad;
    @Nullable Baton plainTake;
    @Nullable RedisClient client;
    @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    @Nullable RedisCommands<byte[], byte[]> raw;
    /** What Baton stores for the caller: the raw peer writes exactly these bytes. */
    byte[] value = new byte[0];
    final AtomicInteger threads = new AtomicInteger();
    final SetArgs px = SetArgs.Builder.px(TTL.toMillis());

    @Setup(Level.Trial)
    public void open() {
      String uri = redisUri();
      // The production defaults but a longer command (and connect) timeout: on a loaded machine
      // connecting took longer than the default 2 s. It bounds waiting only; no figure depends on it.
      RedisTokenSnapshotStore s = RedisTokenSnapshotStore.builder().uri(uri)
          .sealingKeys(Fixtures.keyRing()).commandTimeout(Duration.ofSeconds(10)).build();
      store = s;
      load = Baton.builder().store(s).build();
      take = Baton.builder().store(s).restoreMode(RestoreMode.TAKE)
          .restoreFailurePolicy(RestoreFailurePolicy.FAIL)
          .cleanupPolicy(CleanupPolicy.DELETE_ON_COMPLETION).build();
      RedisTokenSnapshotStore plain = RedisTokenSnapshotStore.builder().uri(uri)
          .withoutSealing().commandTimeout(Duration.ofSeconds(10)).build();
      plainStore = plain;
      plainLoad = Baton.builder().store(plain).build();
      plainTake = Baton.builder().store(plain).restoreMode(RestoreMode.TAKE)
          .restoreFailurePolicy(RestoreFailurePolicy.FAIL)
          .cleanupPolicy(CleanupPolicy.DELETE_ON_COMPLETION).build();
      AccessToken token = Fixtures.token(Instant.now().plus(Duration.ofDays(1)));
      TaskKey key = TaskKey.random(token);
      RedisClient c = RedisClient.create(uri);
      client = c;
      StatefulRedisConnection<byte[], byte[]> conn = c.connect(ByteArrayCodec.INSTANCE);
      connection = conn;
      raw = conn.sync();
      // The peer sends the very bytes the store wrote for this token. (Encoding them apart gave a
      // value a few bytes off now and then: the capture instant's text drops trailing zero digits.)
      Objects.requireNonNull(load).capture(key, token);
      byte[] stored = raw.get(s.redisKey(key));
      raw.del(s.redisKey(key));
      if (stored == null) {
        throw new IllegalStateException("the store wrote nothing for the peer to copy");
      }
      value = stored;
    }

    @TearDown(Level.Trial)
    public void close() {
      if (connection != null) {
        connection.close();
      }
      if (client != null) {
        client.shutdown();
      }
      if (store != null) {
        store.close();
      }
      if (plainStore != null) {
        plainStore.close();
      }
    }
  }

  /** A benchmark thread bound to the caller, with its own raw key. */
  @State(Scope.Thread)
  public static class Caller {
    final AccessToken token = Fixtures.token(Instant.now().plus(Duration.ofDays(1)));
    byte[] rawKey = new byte[0];
    Optional<AccessToken> seen = Optional.empty();
    final Runnable task = () -> seen = Baton.currentToken();
    private dev.baton.@Nullable Scope request;

    @Setup(Level.Iteration)
    public void bind(Redis redis) {
      if (rawKey.length == 0) {
        rawKey = ("bench:raw:" + redis.threads.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
      }
      request = Baton.builder().build().bindRequest(token);
    }

    @TearDown(Level.Iteration)
    public void unbind() {
      if (request != null) {
        request.close();
      }
    }

    Optional<AccessToken> check(Optional<AccessToken> seen) {
      if (!seen.equals(Optional.of(token))) {
        throw new IllegalStateException("a task restored from Redis did not run as its caller");
      }
      return seen;
    }
  }

  @Benchmark
  public Optional<AccessToken> batonLoad(Redis redis, Caller caller) {
    Baton baton = Objects.requireNonNull(redis.load);
    caller.seen = Optional.empty();
    baton.run(baton.capture(), caller.task);
    return caller.check(caller.seen);
  }

  @Benchmark
  public Optional<AccessToken> batonTake(Redis redis, Caller caller) {
    Baton baton = Objects.requireNonNull(redis.take);
    caller.seen = Optional.empty();
    baton.run(baton.capture(), caller.task);
    return caller.check(caller.seen);
  }

  @Benchmark
  public Optional<AccessToken> batonLoadPlain(Redis redis, Caller caller) {
    Baton baton = Objects.requireNonNull(redis.plainLoad);
    caller.seen = Optional.empty();
    baton.run(baton.capture(), caller.task);
    return caller.check(caller.seen);
  }

  @Benchmark
  public Optional<AccessToken> batonTakePlain(Redis redis, Caller caller) {
    Baton baton = Objects.requireNonNull(redis.plainTake);
    caller.seen = Optional.empty();
    baton.run(baton.capture(), caller.task);
    return caller.check(caller.seen);
  }

  @Benchmark
  public byte @Nullable [] rawLoadPeer(Redis redis, Caller caller) {
    RedisCommands<byte[], byte[]> raw = Objects.requireNonNull(redis.raw);
    raw.set(caller.rawKey, redis.value, redis.px);
    byte[] got = raw.get(caller.rawKey);
    raw.del(caller.rawKey);
    return requireSame(redis, got);
  }

  @Benchmark
  public byte @Nullable [] rawTakePeer(Redis redis, Caller caller) {
    RedisCommands<byte[], byte[]> raw = Objects.requireNonNull(redis.raw);
    raw.set(caller.rawKey, redis.value, redis.px);
    return requireSame(redis, raw.getdel(caller.rawKey));
  }

  /** The raw peer's check, the counterpart of Baton's: it got back what it wrote. */
  private static byte @Nullable [] requireSame(Redis redis, byte @Nullable [] got) {
    if (got == null || got.length != redis.value.length) {
      throw new IllegalStateException("raw GET did not return the value: "
          + (got == null ? "nothing" : Arrays.toString(Arrays.copyOf(got, 4)) + "..."));
    }
    return got;
  }
}
