package dev.baton.tck;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import dev.baton.store.TokenStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Deliberately broken stores, each with one bug that real stores have had. Each must fail the kit;
 * {@link KitCatchesBrokenStoresTest} checks that it does, and with which rule.
 */
final class BrokenStores {
  private BrokenStores() {}

  /** Never expires anything: the TTL is dropped on the way to the backend. */
  static final class IgnoresTtl extends ReferenceStore {
    IgnoresTtl(StoreTime time) {
      super(time);
    }

    @Override
    long deadline(Duration ttl) {
      return Long.MAX_VALUE / 2;
    }
  }

  /** Rounds the TTL down to whole seconds ({@code ttl.getSeconds()}), so entries expire early. */
  static final class ExpiresEarly extends ReferenceStore {
    ExpiresEarly(StoreTime time) {
      super(time);
    }

    @Override
    long deadline(Duration ttl) {
      return saturatedAdd(time.nanos(), TimeUnit.SECONDS.toNanos(ttl.getSeconds()));
    }
  }

  /** Insert-if-absent instead of upsert: an overwrite keeps the first value. */
  static final class KeepsFirstValue extends ReferenceStore {
    KeepsFirstValue(StoreTime time) {
      super(time);
    }

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      if (load(key).isEmpty()) {
        super.save(key, snapshot, ttl);
      }
    }
  }

  /** Keys by task id only: the same task id in two scopes is one entry. */
  static final class LeaksAcrossScopes extends ReferenceStore {
    LeaksAcrossScopes(StoreTime time) {
      super(time);
    }

    @Override
    String storeKey(TaskKey key) {
      return key.taskId();
    }
  }

  /** Joins scope and task id with ':' unescaped: ("a:b", "c") and ("a", "b:c") collide. */
  static final class CollidingKeys extends ReferenceStore {
    CollidingKeys(StoreTime time) {
      super(time);
    }

    @Override
    String storeKey(TaskKey key) {
      return key.scope() + ":" + key.taskId();
    }
  }

  /** Compares keys case-insensitively, like a database column with a *_ci collation. */
  static final class CaseInsensitiveKeys extends ReferenceStore {
    CaseInsensitiveKeys(StoreTime time) {
      super(time);
    }

    @Override
    String storeKey(TaskKey key) {
      return key.encoded().toLowerCase(Locale.ROOT);
    }
  }

  /** Delete reports success but the entry stays readable (a cache layer not invalidated). */
  static final class ValueAfterDelete extends ReferenceStore {
    ValueAfterDelete(StoreTime time) {
      super(time);
    }

    @Override
    public boolean delete(TaskKey key) {
      return load(key).isPresent();
    }
  }

  /**
   * Stores a per-thread scratch holder by reference to save allocations: every entry written by a
   * thread shares one mutable value, so a later save changes what earlier keys return.
   */
  static final class SharedMutableValue extends ReferenceStore {
    private static final class Holder {
      @Nullable TokenSnapshot value;
    }

    private final ThreadLocal<Holder> scratch = ThreadLocal.withInitial(Holder::new);

    SharedMutableValue(StoreTime time) {
      super(time);
    }

    @Override
    Object wrap(TaskKey key, TokenSnapshot snapshot) {
      Holder holder = scratch.get();
      holder.value = snapshot;
      return holder;
    }

    @Override
    TokenSnapshot unwrap(TaskKey key, Object value) {
      return java.util.Objects.requireNonNull(((Holder) value).value);
    }
  }

  /** Catches backend errors and answers "nothing there", which fail-closed restore cannot see. */
  static final class SwallowsErrors extends ReferenceStore {
    SwallowsErrors(StoreTime time) {
      super(time);
    }

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      try {
        super.save(key, snapshot, ttl);
      } catch (TokenStoreException e) {
        // "best effort"
      }
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      try {
        return super.load(key);
      } catch (TokenStoreException e) {
        return Optional.empty();
      }
    }

    @Override
    public boolean delete(TaskKey key) {
      try {
        return super.delete(key);
      } catch (TokenStoreException e) {
        return false;
      }
    }

    @Override
    public boolean touch(TaskKey key, Duration ttl) {
      try {
        return super.touch(key, ttl);
      } catch (TokenStoreException e) {
        return false;
      }
    }

    @Override
    public Optional<TokenSnapshot> take(TaskKey key) {
      try {
        return super.take(key);
      } catch (TokenStoreException e) {
        return Optional.empty();
      }
    }
  }

  /** Keeps top-level string claims in a VARCHAR(255): longer values are cut. */
  static final class TruncatesClaims extends ReferenceStore {
    TruncatesClaims(StoreTime time) {
      super(time);
    }

    @Override
    Object wrap(TaskKey key, TokenSnapshot snapshot) {
      Optional<AccessToken> token = snapshot.accessToken();
      if (token.isEmpty()) {
        return snapshot;
      }
      AccessToken t = token.get();
      var claims = new LinkedHashMap<String, @Nullable Object>();
      t.claims().forEach((name, value) -> claims.put(name,
          value instanceof String s && s.length() > 255 ? s.substring(0, 255) : value));
      return TokenSnapshot.of(new AccessToken(t.token(), t.clientId(), t.scopes(), t.expiresAt(),
          t.resource(), claims), snapshot.capturedAt());
    }
  }

  /** Take as GET then DEL, two round trips apart: concurrent takers can both get the value. */
  static final class NonAtomicTake extends ReferenceStore {
    NonAtomicTake(StoreTime time) {
      super(time);
    }

    @Override
    public Optional<TokenSnapshot> take(TaskKey key) {
      Optional<TokenSnapshot> value = load(key);
      LockSupport.parkNanos(200_000); // the round trip between the two commands
      delete(key);
      return value;
    }
  }

  /** Touch answers whether the entry exists (EXISTS) but never changes its TTL. */
  static final class TouchIgnoresTtl extends ReferenceStore {
    TouchIgnoresTtl(StoreTime time) {
      super(time);
    }

    @Override
    public boolean touch(TaskKey key, Duration ttl) {
      validateTtl(ttl);
      return load(key).isPresent();
    }
  }

  /** Validates nothing: a TTL of 0 means "no expiry", and any size is accepted. */
  static final class LenientArguments extends ReferenceStore {
    LenientArguments(StoreTime time) {
      super(time);
    }

    @Override
    void validateTtl(Duration ttl) {}

    @Override
    void validateSize(TokenSnapshot snapshot) {}

    @Override
    long deadline(Duration ttl) {
      return ttl.isNegative() || ttl.isZero() ? Long.MAX_VALUE / 2 : super.deadline(ttl);
    }
  }

  /** Keeps working after close. */
  static final class IgnoresClose extends ReferenceStore {
    IgnoresClose(StoreTime time) {
      super(time);
    }

    @Override
    public void close() {}
  }

  // ---- the bug classes of issue 11 -----------------------------------------------------------

  /** Keeps deadlines in whole milliseconds of its clock: now and TTL truncated to milliseconds. */
  static final class MillisecondDeadlines extends ReferenceStore {
    MillisecondDeadlines(StoreTime time) {
      super(time);
    }

    @Override
    long deadline(Duration ttl) {
      long ms = TimeUnit.MILLISECONDS.toNanos(1);
      long nowMs = Math.floorDiv(time.nanos(), ms) * ms;
      return saturatedAdd(nowMs, TimeUnit.MILLISECONDS.toNanos(ttl.toMillis()));
    }
  }

  /**
   * Returns an expired entry once (the row is found, then deleted by the read), and is empty only
   * from the next load on: a poll-until-gone check never sees it.
   */
  static final class StaleReadOnce extends ReferenceStore {
    StaleReadOnce(StoreTime time) {
      super(time);
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      java.util.Objects.requireNonNull(key, "key");
      backend("load", key);
      String k = storeKey(key);
      Entry e = entries.get(k);
      if (e != null && expired(e)) {
        entries.remove(k, e); // lazy expiry: deleted by this read, but returned one last time
        return Optional.of(unwrap(key, e.value()));
      }
      return super.load(key);
    }
  }

  /** Keys entries by {@code String.hashCode()} of the key: "Aa" and "BB" share an entry. */
  static final class HashedKeys extends ReferenceStore {
    HashedKeys(StoreTime time) {
      super(time);
    }

    @Override
    String storeKey(TaskKey key) {
      return Integer.toHexString(key.encoded().hashCode());
    }
  }

  /**
   * Loads with SQL {@code LIKE} instead of {@code =}: '%' and '_' in a key are wildcards, and the
   * first matching row (in insertion order, like a heap scan) wins.
   */
  static final class LikeMatchingKeys extends ReferenceStore {
    private final java.util.List<String> rows = new java.util.concurrent.CopyOnWriteArrayList<>();

    LikeMatchingKeys(StoreTime time) {
      super(time);
    }

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      super.save(key, snapshot, ttl);
      String k = storeKey(key);
      rows.remove(k);
      rows.add(k);
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      java.util.Objects.requireNonNull(key, "key");
      backend("load", key);
      java.util.regex.Pattern like = like(storeKey(key));
      for (String row : rows) {
        Entry e = entries.get(row);
        if (e != null && !expired(e) && like.matcher(row).matches()) {
          return Optional.of(unwrap(key, e.value()));
        }
      }
      return Optional.empty();
    }

    private static java.util.regex.Pattern like(String pattern) {
      var regex = new StringBuilder();
      for (char c : pattern.toCharArray()) {
        regex.append(c == '%' ? ".*" : c == '_' ? "." : java.util.regex.Pattern.quote(
            String.valueOf(c)));
      }
      return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL);
    }
  }

  /** The bytes a store keeping JSON holds for {@code snapshot}: what a leak would show. */
  static byte[] storedValue(TaskKey key, TokenSnapshot snapshot) {
    return JsonSnapshotCodec.create().encode(key, snapshot);
  }

  /**
   * Puts the failed statement into its error: the value it holds (the JSON codec's output, where
   * {@code é} is {@code \u00E9}), hex-encoded as a bytea literal.
   */
  static final class LeaksHexValueInErrors extends ReferenceStore {
    LeaksHexValueInErrors(StoreTime time) {
      super(time);
    }

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      try {
        super.save(key, snapshot, ttl);
      } catch (TokenStoreException e) {
        String hex = java.util.HexFormat.of().formatHex(storedValue(key, snapshot));
        throw new TokenStoreException("save failed: INSERT INTO snapshots VALUES (?, '\\x" + hex
            + "')", e);
      }
    }
  }

  /** Wraps backend errors in a cause that quotes the value it holds, Base64-encoded. */
  static final class LeaksBase64SnapshotInCause extends ReferenceStore {
    LeaksBase64SnapshotInCause(StoreTime time) {
      super(time);
    }

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      try {
        super.save(key, snapshot, ttl);
      } catch (TokenStoreException e) {
        String value = java.util.Base64.getEncoder().encodeToString(storedValue(key, snapshot));
        throw new TokenStoreException("save failed for " + key,
            new IllegalStateException("command SET failed, value=" + value, e));
      }
    }
  }

  /**
   * Logs the bind parameters of a failed load into its error, as a driver's debug text does: the
   * value it last read for the key, as {@code Arrays.toString(byte[])}.
   */
  static final class LeaksValueBytesOnLoad extends ReferenceStore {
    private final Map<TaskKey, byte[]> lastRead = new ConcurrentHashMap<>();

    LeaksValueBytesOnLoad(StoreTime time) {
      super(time);
    }

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      super.save(key, snapshot, ttl);
      lastRead.put(key, storedValue(key, snapshot));
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      try {
        return super.load(key);
      } catch (TokenStoreException e) {
        byte[] value = lastRead.get(key);
        throw new TokenStoreException("load failed for " + key + "; cached row snapshot="
            + (value == null ? "none" : java.util.Arrays.toString(value)), e);
      }
    }
  }

  /**
   * Keeps values as text (a {@code TEXT} column, {@code new String(bytes, UTF_8)}): plain JSON
   * survives, a sealed value (binary) does not.
   */
  static final class KeepsText extends ReferenceStore {
    KeepsText(StoreTime time, SnapshotCodec codec) {
      super(time, codec);
    }

    @Override
    Object wrap(TaskKey key, TokenSnapshot snapshot) {
      return new String((byte[]) super.wrap(key, snapshot), StandardCharsets.UTF_8);
    }

    @Override
    TokenSnapshot unwrap(TaskKey key, Object value) {
      return super.unwrap(key, ((String) value).getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Adds the TTL to its clock without saturating, and its backend refuses what overflows, as Redis
   * answers {@code ERR invalid expire time} to a PX whose sum with its clock overflows.
   */
  static final class RejectsLongestTtls extends ReferenceStore {
    RejectsLongestTtls(StoreTime time) {
      super(time);
    }

    @Override
    long deadline(Duration ttl) {
      try {
        return Math.addExact(time.nanos(), ttl.toNanos());
      } catch (ArithmeticException e) {
        throw new TokenStoreException("ERR invalid expire time in 'set' command");
      }
    }
  }

  /** Stores text in a Latin-1 column: every character outside ISO-8859-1 comes back as '?'. */
  static final class Latin1Text extends ReferenceStore {
    Latin1Text(StoreTime time) {
      super(time);
    }

    private static String latin1(@Nullable String s) {
      return s == null ? null : new String(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
          java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    Object wrap(TaskKey key, TokenSnapshot snapshot) {
      Optional<AccessToken> token = snapshot.accessToken();
      if (token.isEmpty()) {
        return snapshot;
      }
      AccessToken t = token.get();
      var claims = new LinkedHashMap<String, @Nullable Object>();
      t.claims().forEach((name, value) ->
          claims.put(latin1(name), value instanceof String s ? latin1(s) : value));
      return TokenSnapshot.of(new AccessToken(latin1(t.token()), latin1(t.clientId()),
          t.scopes().stream().map(Latin1Text::latin1).toList(), t.expiresAt(),
          latin1(t.resource()), claims), snapshot.capturedAt());
    }
  }

  /** Declares touch but does not implement it: the store itself throws. */
  static final class ThrowsOnTouch extends ReferenceStore {
    ThrowsOnTouch(StoreTime time) {
      super(time);
    }

    @Override
    public boolean touch(TaskKey key, Duration ttl) {
      throw new UnsupportedOperationException("touch is not implemented yet");
    }
  }

  // ---- the asynchronous save (issue 17) -------------------------------------------------------

  /**
   * Lets a backend failure escape saveAsync as an exception (it calls save and returns a completed
   * stage), so a batch that handles failed stages never sees it.
   */
  static final class ThrowsFromSaveAsync extends ReferenceStore {
    ThrowsFromSaveAsync(StoreTime time) {
      super(time);
    }

    @Override
    public CompletionStage<Void> saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      save(key, snapshot, ttl);
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * A write-behind buffer: saveAsync completes its stage at once and writes only when 16 writes
   * have gathered, so a worker handed the key after the stage completed finds nothing.
   */
  static final class CompletesBeforeWriting extends ReferenceStore {
    private final List<Runnable> buffered = new ArrayList<>();

    CompletesBeforeWriting(StoreTime time) {
      super(time);
    }

    @Override
    public CompletionStage<Void> saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(snapshot, "snapshot");
      validateTtl(ttl);
      validateSize(snapshot);
      checkOpen();
      synchronized (buffered) {
        buffered.add(() -> save(key, snapshot, ttl));
        if (buffered.size() >= 16) {
          buffered.forEach(Runnable::run);
          buffered.clear();
        }
      }
      return CompletableFuture.completedFuture(null);
    }
  }

  /** A batch that stores every key for an hour, whatever TTL it is given. */
  static final class BatchIgnoresTtl extends ReferenceStore {
    BatchIgnoresTtl(StoreTime time) {
      super(time);
    }

    @Override
    public CompletionStage<Void> saveAllAsync(
        Collection<TaskKey> keys, TokenSnapshot snapshot, Duration ttl) {
      validateTtl(ttl);
      for (TaskKey key : List.copyOf(keys)) {
        save(key, snapshot, Duration.ofHours(1));
      }
      return CompletableFuture.completedFuture(null);
    }
  }

  /** A "best effort" batch: a key that fails is skipped, and the stage completes normally. */
  static final class BatchSwallowsFailures extends ReferenceStore {
    BatchSwallowsFailures(StoreTime time) {
      super(time);
    }

    @Override
    public CompletionStage<Void> saveAllAsync(
        Collection<TaskKey> keys, TokenSnapshot snapshot, Duration ttl) {
      for (TaskKey key : List.copyOf(keys)) {
        try {
          save(key, snapshot, ttl);
        } catch (TokenStoreException e) {
          // "best effort"
        }
      }
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * A write-behind batch that keeps the caller's collection and reads it when it writes, at the
   * next load, instead of copying the keys before it returns.
   */
  static final class BatchReadsKeysLate extends ReferenceStore {
    private final List<Runnable> pending = new ArrayList<>();

    BatchReadsKeysLate(StoreTime time) {
      super(time);
    }

    @Override
    public CompletionStage<Void> saveAllAsync(
        Collection<TaskKey> keys, TokenSnapshot snapshot, Duration ttl) {
      Objects.requireNonNull(snapshot, "snapshot");
      validateTtl(ttl);
      validateSize(snapshot);
      checkOpen();
      synchronized (pending) {
        pending.add(() -> keys.forEach(key -> save(key, snapshot, ttl)));
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      synchronized (pending) {
        pending.forEach(Runnable::run);
        pending.clear();
      }
      return super.load(key);
    }
  }

}
