package dev.baton.test;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives each test a {@link Baton} on a {@link FaultInjectingStore}, both on one {@link TestClock},
 * and guards against identities left behind.
 *
 * <pre>{@code
 * class ReportServiceTest {
 *   @RegisterExtension
 *   final BatonExtension baton = BatonExtension.builder()
 *       .configureBaton(b -> b.restoreFailurePolicy(RestoreFailurePolicy.FAIL))
 *       .failOnLeftoverSnapshots()
 *       .build();
 *
 *   @Test
 *   @WithCaller(subject = "alice", scopes = "reports:read")
 *   void report_runsAsTheCaller(Baton b, TestClock clock, FaultInjectingStore store) { ... }
 * }
 * }</pre>
 * Or, with every default: {@code @ExtendWith(BatonExtension.class)}.
 *
 * <h2>Per test</h2>
 * Before each test: a new {@link TestClock} (at {@link TestClock#DEFAULT_START} unless
 * {@link Builder#startingAt}), a new empty {@link FaultInjectingStore} whose TTLs run on that clock,
 * a {@link RecordingListener}, a {@link TestTokens} on that clock, and a {@code Baton} on the store,
 * the clock and the listener. {@link TestClock#advance} moves token expiry and snapshot TTLs
 * together. After each test the store is closed.
 *
 * <p>Test methods (and {@code @BeforeEach}/{@code @AfterEach} methods) receive them as parameters
 * of these types: {@code Baton}, {@code TestClock}, {@code FaultInjectingStore} (or
 * {@code TokenSnapshotStore}), {@code RecordingListener}, {@code TestTokens}, and
 * {@code AccessToken} for the {@link WithCaller} caller. They are also reachable from the extension
 * field ({@link #baton()}, {@link #clock()}, ...) while a test runs; with tests of one class running
 * in parallel, use parameters.
 *
 * <h2>Callers</h2>
 * A test method (or class) annotated {@link WithCaller} runs with that caller's request bound on the
 * thread that runs the method, opened just before and closed just after the method.
 *
 * <h2>Leak guard</h2>
 * A test fails, naming what was left, if the thread that ran it is still bound to a caller or a task
 * when the method returns (a scope opened and never closed); and, if
 * {@link Builder#failOnLeftoverSnapshots()}, if the store still holds live snapshots after it
 * (naming their keys). Threads the test started are its own to check
 * ({@link BatonAssertions#assertThatCurrentThread()}).
 *
 * <p>Thread-safe for the JUnit engine's use.
 */
public final class BatonExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver, InvocationInterceptor {

  private static final List<Class<?>> RESOLVED = List.of(Baton.class, TestClock.class,
      FaultInjectingStore.class, TokenSnapshotStore.class, RecordingListener.class,
      TestTokens.class, AccessToken.class);

  private final Instant start;
  private final Consumer<BatonBuilder> batonConfiguration;
  private final Consumer<FaultInjectingStore.Builder> storeConfiguration;
  private final boolean failOnLeftoverSnapshots;
  private final ExtensionContext.Namespace namespace;
  private volatile @Nullable TestWorld current;

  /** An extension with every default; what {@code @ExtendWith(BatonExtension.class)} creates. */
  public BatonExtension() {
    this(new Builder());
  }

  private BatonExtension(Builder builder) {
    this.start = builder.start;
    this.batonConfiguration = builder.batonConfiguration;
    this.storeConfiguration = builder.storeConfiguration;
    this.failOnLeftoverSnapshots = builder.failOnLeftoverSnapshots;
    this.namespace = ExtensionContext.Namespace.create(BatonExtension.class, this);
  }

  /** A builder, for a {@code @RegisterExtension} field. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- the running test's world

  /**
   * The running test's {@code Baton}.
   *
   * @throws IllegalStateException if no test is running
   */
  public Baton baton() {
    return world().baton;
  }

  /**
   * The running test's clock, shared by its {@code Baton} and its store.
   *
   * @throws IllegalStateException if no test is running
   */
  public TestClock clock() {
    return world().clock;
  }

  /**
   * The running test's store.
   *
   * @throws IllegalStateException if no test is running
   */
  public FaultInjectingStore store() {
    return world().store;
  }

  /**
   * The events the running test's {@code Baton} has sent so far.
   *
   * @throws IllegalStateException if no test is running
   */
  public RecordingListener events() {
    return world().events;
  }

  /**
   * Tokens on the running test's clock.
   *
   * @throws IllegalStateException if no test is running
   */
  public TestTokens tokens() {
    return world().tokens;
  }

  /**
   * Moves the running test's time forward, for its {@code Baton} and its store at once.
   *
   * @return the new current instant
   * @throws IllegalStateException if no test is running
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  public Instant advance(Duration amount) {
    return clock().advance(amount);
  }

  /**
   * Another {@code Baton} on the running test's store, clock and listener, configured as this
   * extension configures its own and then by {@code configure}: for a second worker with another
   * policy in the same test (say {@code RestoreFailurePolicy.RUN_UNAUTHENTICATED}).
   *
   * @throws NullPointerException if {@code configure} is null
   * @throws IllegalStateException if no test is running
   */
  public Baton batonWith(Consumer<BatonBuilder> configure) {
    Objects.requireNonNull(configure, "configure");
    return world().newBaton(configure);
  }

  private TestWorld world() {
    TestWorld world = current;
    if (world == null) {
      throw new IllegalStateException("no test is running: the Baton, clock and store exist from"
          + " before each test to after it");
    }
    return world;
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void beforeEach(ExtensionContext context) {
    TestClock clock = TestClock.startingAt(start);
    FaultInjectingStore.Builder storeBuilder = FaultInjectingStore.builder();
    storeConfiguration.accept(storeBuilder);
    FaultInjectingStore store = storeBuilder.ticker(clock).build();
    TestWorld world = new TestWorld(clock, store, batonConfiguration);
    world.caller = callerOf(context, world.tokens);
    context.getStore(namespace).put(TestWorld.class, world);
    current = world;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestWorld world = context.getStore(namespace).remove(TestWorld.class, TestWorld.class);
    if (world == null) {
      return;
    }
    if (current == world) {
      current = null;
    }
    try {
      if (failOnLeftoverSnapshots && !world.store.isClosed()) {
        List<TaskKey> left = world.store.keys();
        if (!left.isEmpty()) {
          throw new AssertionError("the test left " + left.size() + " snapshot(s) in the store"
              + " (failOnLeftoverSnapshots): " + left);
        }
      }
    } finally {
      world.store.close();
    }
  }

  // ---------------------------------------------------------------- the test method's thread

  @Override
  public void interceptTestMethod(Invocation<@Nullable Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext)
      throws Throwable {
    runGuarded(invocation, extensionContext);
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<@Nullable Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext)
      throws Throwable {
    runGuarded(invocation, extensionContext);
  }

  /** Runs the test method with its caller bound, then checks the thread was left as found. */
  private void runGuarded(Invocation<@Nullable Void> invocation, ExtensionContext context)
      throws Throwable {
    TestWorld world = context.getStore(namespace).get(TestWorld.class, TestWorld.class);
    AccessToken caller = world == null ? null : world.caller;
    if (world == null || caller == null) {
      @Nullable Throwable failure = proceed(invocation);
      String leak = ThreadBindings.describeCurrent();
      rethrow(failure, leak == null ? null : leakError(leak));
      return;
    }
    @Nullable Throwable failure;
    @Nullable String leak;
    try (Scope request = world.baton.bindRequest(caller)) {
      failure = proceed(invocation);
      leak = leftInsideCallerScope(caller, world.clock);
    }
    // Closing the caller's scope restored the thread even if the test left a scope open inside it.
    rethrow(failure, leak == null ? null : leakError(leak));
  }

  private static @Nullable Throwable proceed(Invocation<@Nullable Void> invocation) {
    try {
      invocation.proceed();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  /** Inside the caller's scope the thread must hold exactly that request and no task. */
  private static @Nullable String leftInsideCallerScope(AccessToken caller, TestClock clock) {
    Optional<AccessToken> token = Baton.currentToken();
    boolean callerSeen = token.isPresent()
        ? token.get().equals(caller)
        : caller.isExpired(clock.instant(), Duration.ZERO);
    if (callerSeen && dev.baton.TaskContext.current().isEmpty()) {
      return null;
    }
    String binding = ThreadBindings.describeCurrent();
    return binding == null ? "a request bound to no valid token" : binding;
  }

  private static AssertionError leakError(String binding) {
    return new AssertionError("the test left its thread bound (" + binding + "): a Scope or"
        + " TaskScope opened by the test was not closed; open scopes in try-with-resources");
  }

  private static void rethrow(@Nullable Throwable failure, @Nullable AssertionError leak)
      throws Throwable {
    if (failure != null) {
      if (leak != null) {
        failure.addSuppressed(leak);
      }
      throw failure;
    }
    if (leak != null) {
      throw leak;
    }
  }

  private static @Nullable AccessToken callerOf(ExtensionContext context, TestTokens tokens) {
    Optional<WithCaller> annotation = context.getTestMethod()
        .flatMap(method -> AnnotationSupport.findAnnotation(method, WithCaller.class))
        .or(() -> context.getTestClass()
            .flatMap(type -> AnnotationSupport.findAnnotation(type, WithCaller.class)));
    return annotation.map(a -> tokenFor(a, tokens)).orElse(null);
  }

  private static AccessToken tokenFor(WithCaller caller, TestTokens tokens) {
    try {
      TestTokens.Caller token = tokens.caller(caller.subject())
          .clientId(caller.clientId())
          .scopes(caller.scopes());
      if (caller.expiresIn().isEmpty()) {
        token.neverExpires();
      } else {
        token.expiresIn(Duration.parse(caller.expiresIn()));
      }
      if (!caller.resource().isEmpty()) {
        token.resource(caller.resource());
      }
      for (String claim : caller.claims()) {
        int eq = claim.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("claims must be \"name=value\": " + claim);
        }
        token.claim(claim.substring(0, eq), claim.substring(eq + 1));
      }
      return token.build();
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new ExtensionConfigurationException("invalid @WithCaller: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- parameters

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    if (!(parameter.getDeclaringExecutable() instanceof Method)
        || context.getTestMethod().isEmpty()) {
      return false;
    }
    Class<?> type = parameter.getParameter().getType();
    if (!RESOLVED.contains(type)) {
      return false;
    }
    if (type == AccessToken.class) {
      TestWorld world = context.getStore(namespace).get(TestWorld.class, TestWorld.class);
      return world != null && world.caller != null;
    }
    return true;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestWorld world = context.getStore(namespace).get(TestWorld.class, TestWorld.class);
    if (world == null) {
      throw new ParameterResolutionException(
          "BatonExtension resolves parameters of test, @BeforeEach and @AfterEach methods only");
    }
    Class<?> type = parameter.getParameter().getType();
    if (type == Baton.class) {
      return world.baton;
    } else if (type == TestClock.class) {
      return world.clock;
    } else if (type == FaultInjectingStore.class || type == TokenSnapshotStore.class) {
      return world.store;
    } else if (type == RecordingListener.class) {
      return world.events;
    } else if (type == TestTokens.class) {
      return world.tokens;
    } else if (type == AccessToken.class && world.caller != null) {
      return world.caller;
    }
    throw new ParameterResolutionException("BatonExtension cannot resolve " + type.getName());
  }

  /** One test's clock, store, listener, tokens and Baton. */
  private static final class TestWorld {
    final TestClock clock;
    final FaultInjectingStore store;
    final RecordingListener events = new RecordingListener();
    final TestTokens tokens;
    final Consumer<BatonBuilder> configuration;
    final Baton baton;
    volatile @Nullable AccessToken caller;

    TestWorld(TestClock clock, FaultInjectingStore store, Consumer<BatonBuilder> configuration) {
      this.clock = clock;
      this.store = store;
      this.tokens = TestTokens.on(clock);
      this.configuration = configuration;
      this.baton = newBaton(b -> {});
    }

    Baton newBaton(Consumer<BatonBuilder> more) {
      BatonBuilder builder = Baton.builder();
      configuration.accept(builder);
      more.accept(builder);
      // Last, so that no configuration can part the Baton from the test's store, clock or events.
      return builder.store(store).clock(clock).listener(events).build();
    }
  }

  /** Configures a {@link BatonExtension}. Not thread-safe. */
  public static final class Builder {
    private Instant start = TestClock.DEFAULT_START;
    private Consumer<BatonBuilder> batonConfiguration = b -> {};
    private Consumer<FaultInjectingStore.Builder> storeConfiguration = b -> {};
    private boolean failOnLeftoverSnapshots;

    private Builder() {}

    /** Where each test's clock starts; defaults to {@link TestClock#DEFAULT_START}. */
    public Builder startingAt(Instant start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /**
     * Configures each test's {@code Baton} (leeway, snapshot TTL, cleanup and restore-failure
     * policies, lifespan). Its store, clock and listener are always the test's: settings of those
     * here are overridden.
     */
    public Builder configureBaton(Consumer<BatonBuilder> configure) {
      this.batonConfiguration = Objects.requireNonNull(configure, "configure");
      return this;
    }

    /**
     * Configures each test's store (codec, object mode, size bound). Its ticker is always the
     * test's clock.
     */
    public Builder configureStore(Consumer<FaultInjectingStore.Builder> configure) {
      this.storeConfiguration = Objects.requireNonNull(configure, "configure");
      return this;
    }

    /**
     * Fails a test after which the store still holds live snapshots, naming their keys: for
     * applications whose tasks all complete (and are cleaned up) within the test.
     */
    public Builder failOnLeftoverSnapshots() {
      this.failOnLeftoverSnapshots = true;
      return this;
    }

    /** The extension. */
    public BatonExtension build() {
      return new BatonExtension(this);
    }
  }
}
