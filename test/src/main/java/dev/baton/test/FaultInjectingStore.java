package dev.baton.test;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import dev.baton.codec.SnapshotDecodeException;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MemoryTokenSnapshotStore} that a test can break on purpose, and look into.
 *
 * <p>Production stores fail: Redis goes away, a command times out, an entry is evicted early, a
 * value at rest is damaged. This store lets a test cause each of those at the moment it chooses,
 * so the application's fail-closed paths can be tested without a real outage:
 * <ul>
 *   <li>{@link #outage()}: every operation fails until the returned {@link Fault} is closed;
 *   <li>{@link #failNext(int)} / {@link #failNext(Operation, int)}: the next operations fail;
 *   <li>{@link #latency(Duration)}: every operation blocks for real (wall-clock) time first;
 *   <li>{@link #holdNext(Operation)}: the next such operation blocks until the test releases it
 *       &mdash; the deterministic way to make "the store is slow right now";
 *   <li>{@link #drop(TaskKey)}: a snapshot disappears, as if evicted or expired early;
 *   <li>{@link #corrupt(TaskKey)}: a stored value is damaged, so reading it fails to decode.
 * </ul>
 * Failures throw {@link TokenStoreException}, exactly as a real store's outage does; their messages
 * name the operation and the key, never the token. Faults apply only to operations whose arguments
 * are valid on an open store: bad arguments still throw {@code NullPointerException} or
 * {@code IllegalArgumentException}, and a closed store {@code IllegalStateException}.
 *
 * <p>Inspection ({@link #peek}, {@link #contains}, {@link #keys}) goes around the faults: it never
 * fails because of them and never counts as an operation.
 *
 * <p>Values are kept encoded by default (bytes mode, with {@link JsonSnapshotCodec}), as Redis keeps
 * them, so tests meet the same size limits and decode errors as production;
 * {@link Builder#objectMode()} keeps snapshots as objects (then {@link #corrupt} is unavailable).
 * Time comes from a Caffeine {@link Ticker}: pass the test's {@link TestClock}.
 *
 * <p>Thread-safe, like every store; all operations are atomic per key. It passes the
 * {@code baton-tck} compatibility kit, its {@code Failures} group included.
 */
public final class FaultInjectingStore implements TokenSnapshotStore {

  /** A store operation, for faults aimed at one kind of operation. */
  public enum Operation {
    /** {@link TokenSnapshotStore#save}. */
    SAVE,
    /** {@link TokenSnapshotStore#load}. */
    LOAD,
    /** {@link TokenSnapshotStore#delete}. */
    DELETE,
    /** {@link TokenSnapshotStore#touch}. */
    TOUCH,
    /** {@link TokenSnapshotStore#take}. */
    TAKE
  }

  /**
   * How long a held operation waits for {@link Hold#release()} (and {@link Hold#awaitHeld()} for the
   * operation to arrive) before giving up: a bound so that a forgotten release fails the test
   * instead of hanging the build.
   */
  public static final Duration MAX_HOLD = Duration.ofMinutes(1);

  private final MemoryTokenSnapshotStore memory;
  private final @Nullable SnapshotCodec codec;
  private final Ticker ticker;
  /**
   * Every key ever written, with the ticker reading at which its last write ends. Keys are never
   * removed here (a racing save and delete could otherwise hide a live entry): whether an entry is
   * live is always asked of the memory store.
   */
  private final Map<TaskKey, Long> deadlines = new ConcurrentHashMap<>();
  private final AtomicInteger outages = new AtomicInteger();
  private final AtomicInteger failAny = new AtomicInteger();
  private final Map<Operation, AtomicInteger> failByOperation = new EnumMap<>(Operation.class);
  private final Map<Operation, Queue<Hold>> holds = new EnumMap<>(Operation.class);
  /** Every hold handed out, so that closing the store releases those already blocking too. */
  private final Set<Hold> allHolds = ConcurrentHashMap.newKeySet();
  private final List<Duration> latencies = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private FaultInjectingStore(Builder builder) {
    this.codec = builder.objectMode ? null : builder.codec;
    this.ticker = builder.ticker;
    MemoryTokenSnapshotStore.Builder memoryBuilder = MemoryTokenSnapshotStore.builder()
        .ticker(builder.ticker)
        .maximumSize(builder.maximumSize)
        // Expired entries are cleaned on the calling thread: nothing happens behind a test's back.
        .executor(Runnable::run);
    if (codec != null) {
      memoryBuilder.codec(codec);
    }
    this.memory = memoryBuilder.build();
    for (Operation operation : Operation.values()) {
      failByOperation.put(operation, new AtomicInteger());
      holds.put(operation, new ConcurrentLinkedQueue<>());
    }
  }

  /** A store in bytes mode (JSON) on the system ticker; tests normally pass a {@link TestClock}. */
  public static FaultInjectingStore create() {
    return builder().build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- the store

  @Override
  public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    TokenSnapshotStore.requirePositiveTtl(ttl);
    beforeOperation(Operation.SAVE, key);
    memory.save(key, snapshot, ttl);
    deadlines.put(key, deadline(ttl));
  }

  @Override
  public Optional<TokenSnapshot> load(TaskKey key) {
    Objects.requireNonNull(key, "key");
    beforeOperation(Operation.LOAD, key);
    return memory.load(key);
  }

  @Override
  public boolean delete(TaskKey key) {
    Objects.requireNonNull(key, "key");
    beforeOperation(Operation.DELETE, key);
    return memory.delete(key);
  }

  @Override
  public boolean touch(TaskKey key, Duration ttl) {
    Objects.requireNonNull(key, "key");
    TokenSnapshotStore.requirePositiveTtl(ttl);
    beforeOperation(Operation.TOUCH, key);
    boolean found = memory.touch(key, ttl);
    if (found) {
      deadlines.put(key, deadline(ttl));
    }
    return found;
  }

  @Override
  public Optional<TokenSnapshot> take(TaskKey key) {
    Objects.requireNonNull(key, "key");
    beforeOperation(Operation.TAKE, key);
    return memory.take(key);
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL;
  }

  /** Removes every entry and releases every held operation; later operations throw ISE. */
  @Override
  public void close() {
    closed = true;
    for (Hold hold : allHolds) {
      hold.release();
    }
    memory.close();
  }

  // ---------------------------------------------------------------- faults

  /**
   * Starts a full outage: every operation throws {@link TokenStoreException} until the returned
   * fault is closed. Entries survive the outage (unless a test drops them). Outages may overlap;
   * the store works again when the last one is closed.
   *
   * <pre>{@code
   * try (var outage = store.outage()) {
   *   assertThatThrownBy(() -> baton.run(key, job)).isInstanceOf(RestoreFailedException.class);
   * }
   * }</pre>
   */
  public Fault outage() {
    outages.incrementAndGet();
    return onceOnClose(outages::decrementAndGet);
  }

  /**
   * Makes the next {@code count} operations, of any kind, throw {@link TokenStoreException}; then
   * the store works again by itself. Adds to any count still pending.
   *
   * @throws IllegalArgumentException if {@code count} is not positive
   */
  public void failNext(int count) {
    failAny.addAndGet(requirePositiveCount(count));
  }

  /**
   * Makes the next {@code count} operations of kind {@code operation} throw
   * {@link TokenStoreException} (say, the cleanup {@code DELETE} after a task); other operations
   * are unaffected. Adds to any count still pending.
   *
   * @throws NullPointerException if {@code operation} is null
   * @throws IllegalArgumentException if {@code count} is not positive
   */
  public void failNext(Operation operation, int count) {
    Objects.requireNonNull(operation, "operation");
    failuresOf(operation).addAndGet(requirePositiveCount(count));
  }

  /**
   * Makes every operation block for {@code perOperation} of real (wall-clock) time before it runs,
   * until the returned fault is closed; overlapping latencies add up.
   *
   * <p>This is real blocking, not test-clock time: use it where the code under test measures real
   * time (a timeout, a deadline on another thread). To make an operation slow at a chosen moment
   * without depending on real time, use {@link #holdNext(Operation)}.
   *
   * @throws NullPointerException if {@code perOperation} is null
   * @throws IllegalArgumentException if {@code perOperation} is negative or zero
   */
  public Fault latency(Duration perOperation) {
    Objects.requireNonNull(perOperation, "perOperation");
    if (perOperation.isNegative() || perOperation.isZero()) {
      throw new IllegalArgumentException("perOperation must be positive: " + perOperation);
    }
    latencies.add(perOperation);
    return onceOnClose(() -> latencies.remove(perOperation)); // any equal one: they are alike
  }

  /**
   * Holds the next operation of kind {@code operation}: it blocks, on whichever thread runs it,
   * until the test calls {@link Hold#release()}. {@link Hold#awaitHeld()} waits until it has
   * arrived, so a test can act while the store is "slow" with no sleeps and no timing.
   *
   * <pre>{@code
   * Hold hold = store.holdNext(Operation.LOAD);
   * Future<?> job = worker.submit(() -> baton.run(key, task));
   * hold.awaitHeld();          // the worker is now inside load
   * clock.advance(Duration.ofHours(2));
   * hold.release();
   * }</pre>
   *
   * <p>A held operation waits at most {@link #MAX_HOLD}, then fails with
   * {@link TokenStoreException}; closing the store releases it.
   *
   * @throws NullPointerException if {@code operation} is null
   */
  public Hold holdNext(Operation operation) {
    Objects.requireNonNull(operation, "operation");
    Hold hold = new Hold(operation);
    allHolds.add(hold);
    holdsOf(operation).add(hold);
    return hold;
  }

  /**
   * Removes the entry under {@code key} behind the application's back, as if the store had evicted
   * it or it had expired early. Not an operation: no fault applies.
   *
   * @return whether a live entry was removed
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the store is closed
   */
  public boolean drop(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    return memory.delete(key);
  }

  /**
   * Damages the value stored under {@code key} (it is cut short), keeping its TTL: the next
   * {@code load} or {@code take} of it throws a {@link SnapshotDecodeException}, a
   * {@link TokenStoreException}, as a damaged value in Redis does. Not an operation: no fault
   * applies.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the store is closed or in object mode, or holds no live entry
   *     under {@code key}
   */
  public void corrupt(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    SnapshotCodec bytesCodec = codec;
    if (bytesCodec == null) {
      throw new IllegalStateException(
          "corrupt needs a store in bytes mode (the default); this one is in object mode");
    }
    byte[] value = memory.rawValue(key).orElseThrow(() ->
        new IllegalStateException("no live snapshot to corrupt for task " + key));
    long remaining = deadlines.getOrDefault(key, ticker.read()) - ticker.read();
    if (remaining <= 0) {
      throw new IllegalStateException("no live snapshot to corrupt for task " + key);
    }
    byte[] damaged = Arrays.copyOf(value, value.length / 2);
    try {
      bytesCodec.decode(key, damaged);
      throw new IllegalStateException(
          "the codec " + bytesCodec + " still decodes the damaged value of task " + key);
    } catch (SnapshotDecodeException expected) {
      memory.putRawValue(key, damaged, Duration.ofNanos(remaining));
    }
  }

  // ---------------------------------------------------------------- inspection

  /**
   * The snapshot under {@code key}, read around every fault and without counting as an operation.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws SnapshotDecodeException if the value was {@linkplain #corrupt corrupted}
   * @throws IllegalStateException if the store is closed
   */
  public Optional<TokenSnapshot> peek(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    return memory.load(key);
  }

  /**
   * Whether a live entry (readable or {@linkplain #corrupt corrupted}) is stored under {@code key};
   * read around every fault.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the store is closed
   */
  public boolean contains(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    return codec == null ? memory.load(key).isPresent() : memory.rawValue(key).isPresent();
  }

  /**
   * The keys of every live entry, ordered by {@link TaskKey#encoded()}: what a test would find left
   * behind. Read around every fault.
   *
   * @throws IllegalStateException if the store is closed
   */
  public List<TaskKey> keys() {
    checkOpen();
    List<TaskKey> live = new ArrayList<>();
    for (TaskKey key : deadlines.keySet()) {
      if (contains(key)) {
        live.add(key);
      }
    }
    live.sort(Comparator.comparing(TaskKey::encoded));
    return live;
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed;
  }

  // Both maps hold every operation from construction on.
  private AtomicInteger failuresOf(Operation operation) {
    return Objects.requireNonNull(failByOperation.get(operation), "every operation has a counter");
  }

  private Queue<Hold> holdsOf(Operation operation) {
    return Objects.requireNonNull(holds.get(operation), "every operation has a queue");
  }

  /** Whether the store holds no live entry. */
  public boolean isEmpty() {
    return keys().isEmpty();
  }

  @Override
  public String toString() {
    return "FaultInjectingStore[mode=" + (codec == null ? "object" : "bytes")
        + ", outages=" + outages.get() + ", closed=" + closed + "]";
  }

  // ---------------------------------------------------------------- internals

  private void beforeOperation(Operation operation, TaskKey key) {
    checkOpen();
    Hold hold = holdsOf(operation).poll();
    if (hold != null) {
      hold.block(key);
      // close() releases held operations before it closes the memory store: check again, or a
      // released operation could still reach the open store behind it.
      checkOpen();
    }
    for (Duration latency : latencies) {
      sleep(latency, operation, key);
    }
    if (outages.get() > 0) {
      throw failure(operation, key, "outage");
    }
    if (takeOne(failuresOf(operation)) || takeOne(failAny)) {
      throw failure(operation, key, "failure");
    }
  }

  private static boolean takeOne(AtomicInteger counter) {
    return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  private static TokenStoreException failure(Operation operation, TaskKey key, String what) {
    return new TokenStoreException(
        "injected store " + what + ": " + name(operation) + " of task " + key + " failed");
  }

  private static String name(Operation operation) {
    return operation.name().toLowerCase(Locale.ROOT);
  }

  private static void sleep(Duration latency, Operation operation, TaskKey key) {
    try {
      TimeUnit.NANOSECONDS.sleep(latency.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenStoreException("interrupted during injected latency: " + name(operation)
          + " of task " + key + " failed", e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
  }

  private long deadline(Duration ttl) {
    long nanos;
    try {
      nanos = ttl.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE;
    }
    long now = ticker.read();
    return nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
  }

  private static int requirePositiveCount(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    return count;
  }

  private static Fault onceOnClose(Runnable end) {
    AtomicBoolean open = new AtomicBoolean(true);
    return () -> {
      if (open.compareAndSet(true, false)) {
        end.run();
      }
    };
  }

  /** A running fault; {@link #close()} ends it. */
  @FunctionalInterface
  public interface Fault extends AutoCloseable {
    /** Ends the fault. Idempotent; never throws. */
    @Override
    void close();
  }

  /**
   * One held operation (see {@link #holdNext(Operation)}). Thread-safe: the test thread awaits and
   * releases, the operation's thread blocks.
   */
  public static final class Hold implements AutoCloseable {
    private final Operation operation;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile @Nullable TaskKey key;

    private Hold(Operation operation) {
      this.operation = operation;
    }

    /** The operation this hold waits for. */
    public Operation operation() {
      return operation;
    }

    /** Whether the operation has arrived and is blocked (or was, if released since). */
    public boolean isHeld() {
      return arrived.getCount() == 0;
    }

    /**
     * Waits until the operation has arrived and is blocked.
     *
     * @return the key of the held operation
     * @throws AssertionError if it has not arrived within {@link #MAX_HOLD}
     * @throws IllegalStateException if interrupted while waiting
     */
    public TaskKey awaitHeld() {
      try {
        if (!arrived.await(MAX_HOLD.toNanos(), TimeUnit.NANOSECONDS)) {
          throw new AssertionError("no " + name(operation) + " reached the store within "
              + MAX_HOLD + " (holdNext(" + operation + ") waits for the next one)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while awaiting a held " + name(operation), e);
      }
      return Objects.requireNonNull(key);
    }

    /** Lets the held operation go on (or, if it has not arrived yet, lets it pass when it does). */
    public void release() {
      released.countDown();
    }

    /** Same as {@link #release()}. */
    @Override
    public void close() {
      release();
    }

    private void block(TaskKey heldKey) {
      this.key = heldKey;
      arrived.countDown();
      try {
        if (!released.await(MAX_HOLD.toNanos(), TimeUnit.NANOSECONDS)) {
          throw new TokenStoreException("held " + name(operation) + " of task " + heldKey
              + " was not released within " + MAX_HOLD);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TokenStoreException("interrupted while held: " + name(operation) + " of task "
            + heldKey + " failed", e);
      }
    }

    @Override
    public String toString() {
      return "Hold[" + operation + (isHeld() ? ", held" : ", waiting") + "]";
    }
  }

  /** Configures a {@link FaultInjectingStore}. Not thread-safe. */
  public static final class Builder {
    private Ticker ticker = Ticker.systemTicker();
    private SnapshotCodec codec = JsonSnapshotCodec.create();
    private boolean objectMode;
    private long maximumSize = MemoryTokenSnapshotStore.DEFAULT_MAXIMUM_SIZE;

    private Builder() {}

    /**
     * The time source for TTLs: pass the test's {@link TestClock}, so that Baton and the store
     * share one time. Defaults to {@link Ticker#systemTicker()}.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The codec values are kept with (bytes mode, the default); defaults to
     * {@link JsonSnapshotCodec#create()}. Pass the production codec (say, a sealing codec) to test
     * with what production stores.
     */
    public Builder codec(SnapshotCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      this.objectMode = false;
      return this;
    }

    /** Keeps snapshots as objects instead of bytes (faster; {@link #corrupt} is unavailable). */
    public Builder objectMode() {
      this.objectMode = true;
      return this;
    }

    /**
     * The most entries held (see {@link MemoryTokenSnapshotStore.Builder#maximumSize}).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maximumSize(long maximumSize) {
      if (maximumSize <= 0) {
        throw new IllegalArgumentException("maximumSize must be positive: " + maximumSize);
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /** A new, empty store. */
    public FaultInjectingStore build() {
      return new FaultInjectingStore(this);
    }
  }
}
