package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every entry point that binds a caller, driven into the end of the stack at every depth near it
 * (a {@link StackOverflowError} strikes inside the open, the body, or the close): once the code
 * that bound the caller has returned or thrown, the thread never acts as that caller again, with no
 * second close from anyone. What an Error leaves behind is at most a dead frame, which nothing
 * answers from and which the next entry point clears.
 *
 * <p>Sweeps run on a lock-free store ({@link MapStore}): an Error inside Caffeine can leave its
 * eviction lock held (see {@link ScopeStackEdgeTest}); a store's own locks are the store's business.
 */
@SuppressWarnings("try")
class EntryPointStackEdgeTest {
  private static final int ROUNDS = 20;

  private final MapStore store = new MapStore();
  /** Events other than the expected CAPTURED and RESTORED (a sweep restores thousands of times). */
  private final List<BatonEvent> unexpected = new CopyOnWriteArrayList<>();
  private final BatonListener listener = event -> {
    if (event.type() != BatonEvent.Type.CAPTURED && event.type() != BatonEvent.Type.RESTORED) {
      unexpected.add(event);
    }
  };
  /** TTL_ONLY: the one snapshot stays for every attempt. */
  private final Baton baton = Baton.builder().store(store).cleanupPolicy(CleanupPolicy.TTL_ONLY)
      .listener(listener).build();
  private final AccessToken alice = AccessToken.of("stack-edge-alice-token", "client");
  private final TaskKey key = baton.capture(TaskKey.forCaller(alice, "deep"), alice);
  private final CallerBinding ofAlice = bindingOf(alice);

  private long attempts;
  private long bodies;
  private long overflows;
  private int leakDepth = -1;
  @AfterEach
  void threadIsClean() {
    assertThat(ContextStorage.isBound()).as("test left a binding on the thread").isFalse();
  }

  private CallerBinding bindingOf(AccessToken caller) {
    try (Scope request = baton.bindRequest(caller)) {
      return CallerBinding.capture();
    }
  }

  /** What the body does: reads the caller (which may overflow too). */
  private void body() {
    bodies++;
    Optional<AccessToken> seen = Baton.currentToken();
    if (seen.isEmpty()) {
      throw new AssertionError("the body ran without its caller");
    }
  }

  private void recurseThenAttempt(int depth, Runnable attempt) {
    try {
      recurseThenAttempt(depth + 1, attempt);
    } catch (StackOverflowError edge) {
      // the deepest level: fall through and attempt here too
    }
    attempts++;
    try {
      attempt.run();
    } catch (StackOverflowError e) {
      overflows++;
    }
    try {
      if (leakDepth < 0 && ContextStorage.isBound()) {
        leakDepth = depth;
      }
    } catch (StackOverflowError e) {
      // checked again one level up, where there is room
    }
  }

  /**
   * Sweeps {@code attempt} on a thread with a small stack, from an unbound thread, and checks
   * that it never acts as anyone afterwards; then that the next entry point leaves no frame.
   */
  private void sweep(Runnable attempt) throws Exception {
    Throwable[] failure = new Throwable[1];
    boolean[] boundAfter = new boolean[2];
    boolean[] frameLeft = new boolean[1];
    Thread deep = new Thread(null, () -> {
      try {
        // Once with room to spare: links every lambda and call site on the way (a first link at
        // the edge fails with InternalError, which is the JDK's, not Baton's).
        attempt.run();
        for (int round = 0; round < ROUNDS; round++) {
          recurseThenAttempt(0, attempt);
        }
        boundAfter[0] = ContextStorage.isBound();
        boundAfter[1] = Baton.currentToken().isPresent() || TaskContext.current().isPresent()
            || CallerBinding.current() != null;
        baton.bindRequest(null).close();
        frameLeft[0] = ContextStorage.holdsAnyFrame();
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "stack-sweep", 256 * 1024);
    deep.start();
    deep.join(TimeUnit.MINUTES.toMillis(5));

    assertThat(deep.isAlive()).as("sweep still running after 5 minutes").isFalse();
    assertThat(failure[0]).as("sweep failed: %s", String.valueOf(failure[0])).isNull();
    assertThat(overflows).as("attempts cut short by the stack's end").isPositive();
    assertThat(bodies).as("bodies that ran at the edge").isPositive();
    assertThat(leakDepth).as("depth after which the thread was left acting as the caller")
        .isEqualTo(-1);
    assertThat(boundAfter).as("bound / acting as a caller after the sweep").containsOnly(false);
    assertThat(frameLeft[0]).as("a frame left after the next entry point").isFalse();
    assertThat(unexpected).extracting(BatonEvent::type)
        .allMatch(t -> t == BatonEvent.Type.BINDING_ABANDONED);
  }

  @Test
  void bindRequest_inTryWithResources_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    sweep(() -> {
      try (Scope request = baton.bindRequest(alice)) {
        body();
      }
    });
  }

  @Test
  void enter_inTryWithResources_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    sweep(() -> {
      try (TaskScope task = baton.enter(key)) {
        body();
      }
    });
  }

  @Test
  void run_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    sweep(() -> baton.run(key, this::body));
  }

  @Test
  void call_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    sweep(() -> {
      try {
        baton.call(key, () -> {
          body();
          return null;
        });
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void install_inTryWithResources_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    sweep(() -> {
      try (Scope installed = ofAlice.install()) {
        body();
      }
    });
  }

  @Test
  void wrapRunnable_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    Runnable wrapped = ofAlice.wrapRunnable(this::body);
    sweep(wrapped);
  }

  @Test
  void wrapCallable_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    Callable<Object> wrapped = ofAlice.wrapCallable(() -> {
      body();
      return "done";
    });
    sweep(() -> {
      try {
        wrapped.call();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void wrapSupplier_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    Supplier<String> wrapped = ofAlice.wrapSupplier(() -> {
      body();
      return "done";
    });
    sweep(wrapped::get);
  }

  @Test
  void wrapFunction_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    Function<String, String> wrapped = ofAlice.wrapFunction(s -> {
      body();
      return s;
    });
    sweep(() -> wrapped.apply("x"));
  }

  @Test
  void wrapBiFunction_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    BiFunction<String, String, String> wrapped = ofAlice.wrapBiFunction((s, t) -> {
      body();
      return s;
    });
    sweep(() -> wrapped.apply("x", "y"));
  }

  @Test
  void wrapConsumer_atStackEdge_neverLeavesTheCallerBound() throws Exception {
    Consumer<String> wrapped = ofAlice.wrapConsumer(s -> body());
    sweep(() -> wrapped.accept("x"));
  }

  @Test
  void wrappedExecutorTasks_atStackEdge_neverLeaveTheCallerBound() throws Exception {
    ExecutorService direct = baton.wrap(new DirectExecutorService());
    // Captured as alice once; run below, at every depth, on the sweeping thread itself.
    List<Runnable> tasks = new ArrayList<>();
    try (Scope request = baton.bindRequest(alice)) {
      tasks.add(baton.captureLocal().wrapRunnable(this::body));
    }
    Runnable asAlice = tasks.get(0);
    sweep(() -> {
      asAlice.run();
      try (Scope request = baton.bindRequest(alice)) {
        direct.execute(this::body);
      }
    });
  }

  /** Runs every task on the submitting thread, as a caller-runs policy does. */
  private static final class DirectExecutorService extends AbstractExecutorService {
    private boolean shutdown;

    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return Collections.emptyList();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return shutdown;
    }
  }
}
