package dev.baton.tck;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A simple correct store: a {@link ConcurrentHashMap} of values with deadlines read from a
 * {@link StoreTime}; supports touch and atomic take, and can simulate a backend outage.
 *
 * <p>Not final: the broken stores in {@link BrokenStores} each override one thing. The overridable
 * steps are package-private hooks ({@link #storeKey}, {@link #deadline}, {@link #wrap},
 * {@link #unwrap}).
 */
public class ReferenceStore implements TokenSnapshotStore {
  static final int MAX_BYTES = TokenSnapshotStoreVerification.DEFAULT_MAX_SNAPSHOT_BYTES;

  /** A stored value and the {@link StoreTime#nanos()} reading at which it expires. */
  record Entry(Object value, long deadline) {}

  final StoreTime time;
  /** Bytes mode when set: values are kept as this codec writes them (e.g. sealed). */
  final @Nullable SnapshotCodec codec;
  final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean backendDown;

  /** A store on {@code time}. */
  public ReferenceStore(StoreTime time) {
    this(time, null);
  }

  /** A store on {@code time} that keeps values as {@code codec} writes them (null: objects). */
  public ReferenceStore(StoreTime time, @Nullable SnapshotCodec codec) {
    this.time = Objects.requireNonNull(time, "time");
    this.codec = codec;
  }

  // ---- hooks ------------------------------------------------------------------------------------

  String storeKey(TaskKey key) {
    return key.encoded();
  }

  long deadline(Duration ttl) {
    return saturatedAdd(time.nanos(), saturatedNanos(ttl));
  }

  Object wrap(TaskKey key, TokenSnapshot snapshot) {
    SnapshotCodec c = codec;
    return c == null ? snapshot : c.encode(key, snapshot);
  }

  TokenSnapshot unwrap(TaskKey key, Object value) {
    SnapshotCodec c = codec;
    return c != null && value instanceof byte[] bytes ? c.decode(key, bytes) : (TokenSnapshot) value;
  }

  void validateTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
  }

  void validateSize(TokenSnapshot snapshot) {
    long size = estimatedSize(snapshot);
    if (size > MAX_BYTES) {
      throw new IllegalArgumentException(
          "snapshot is too large: about " + size + " bytes, limit " + MAX_BYTES);
    }
  }

  // ---- the store --------------------------------------------------------------------------------

  @Override
  public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    validateTtl(ttl);
    validateSize(snapshot);
    backend("save", key);
    entries.put(storeKey(key), new Entry(wrap(key, snapshot), deadline(ttl)));
  }

  @Override
  public Optional<TokenSnapshot> load(TaskKey key) {
    Objects.requireNonNull(key, "key");
    backend("load", key);
    String k = storeKey(key);
    Entry e = entries.get(k);
    if (e == null) {
      return Optional.empty();
    }
    if (expired(e)) {
      entries.remove(k, e);
      return Optional.empty();
    }
    return Optional.of(unwrap(key, e.value()));
  }

  @Override
  public boolean delete(TaskKey key) {
    Objects.requireNonNull(key, "key");
    backend("delete", key);
    Entry e = entries.remove(storeKey(key));
    return e != null && !expired(e);
  }

  @Override
  public boolean touch(TaskKey key, Duration ttl) {
    Objects.requireNonNull(key, "key");
    validateTtl(ttl);
    backend("touch", key);
    var touched = new AtomicBoolean();
    entries.computeIfPresent(storeKey(key), (k, e) -> {
      if (expired(e)) {
        return null;
      }
      touched.set(true);
      return new Entry(e.value(), deadline(ttl));
    });
    return touched.get();
  }

  @Override
  public Optional<TokenSnapshot> take(TaskKey key) {
    Objects.requireNonNull(key, "key");
    backend("take", key);
    Entry e = entries.remove(storeKey(key));
    return e == null || expired(e) ? Optional.empty() : Optional.of(unwrap(key, e.value()));
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL;
  }

  @Override
  public void close() {
    closed.set(true);
  }

  /** Makes every operation fail as if the backend were down, until the outage is closed. */
  public FailureInjector.Outage outage() {
    backendDown = true;
    return () -> backendDown = false;
  }

  final void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("store is closed");
    }
  }

  /** Every operation's call to the "backend": checks the store is open and the backend is up. */
  void backend(String operation, TaskKey key) {
    checkOpen();
    if (backendDown) {
      throw new TokenStoreException(operation + " failed for " + key + ": backend unavailable");
    }
  }

  final boolean expired(Entry e) {
    return time.nanos() - e.deadline() >= 0;
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE / 2 : r;
  }

  /** An upper bound of the snapshot's JSON size: every string's UTF-8 bytes plus punctuation. */
  static long estimatedSize(TokenSnapshot snapshot) {
    long size = 64;
    Optional<AccessToken> token = snapshot.accessToken();
    if (token.isPresent()) {
      AccessToken t = token.get();
      size += utf8(t.token()) + utf8(t.clientId()) + utf8(t.resource()) + 64;
      for (String scope : t.scopes()) {
        size += utf8(scope) + 3;
      }
      size += sizeOf(t.claims());
    }
    return size;
  }

  private static long sizeOf(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      long size = 2;
      for (var e : map.entrySet()) {
        size += utf8((String) e.getKey()) + 4 + sizeOf(e.getValue());
      }
      return size;
    }
    if (value instanceof List<?> list) {
      long size = 2;
      for (Object v : list) {
        size += sizeOf(v) + 1;
      }
      return size;
    }
    if (value instanceof String s) {
      return utf8(s) + 2;
    }
    return String.valueOf(value).length();
  }

  /** UTF-8 length, counting JSON escapes of quotes, backslashes and control characters. */
  private static long utf8(@Nullable String s) {
    if (s == null) {
      return 4;
    }
    long escapes = s.chars().filter(c -> c < 0x20 || c == '"' || c == '\\').count();
    return s.getBytes(StandardCharsets.UTF_8).length + 5 * escapes;
  }
}
