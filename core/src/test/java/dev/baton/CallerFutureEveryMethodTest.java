package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of {@link CompletableFuture} that takes a function, found by reflection so that none
 * is missed (including any a newer JDK adds): on a {@link CallerFuture}, the function runs as the
 * caller who attached it, never as the thread that completed the future, on every kind of executor;
 * and every stage it answers is a {@code CallerFuture}.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class CallerFutureEveryMethodTest {
  private final Baton baton = Baton.builder().build();
  private final AccessToken alice = token("alice");
  private final AccessToken bob = token("bob");
  private final LeakCheckingPool pool = new LeakCheckingPool(2);
  private final LeakCheckingPool alicesThread = new LeakCheckingPool(1);

  /** Where an async continuation is sent. */
  enum ExecutorKind {
    /** The method takes no executor: async ones run on the future's default executor. */
    NONE,
    /** A plain pool: its threads hold no caller. */
    PLAIN_POOL,
    /** {@code baton.wrap(pool)}: it installs whoever submits, which is the completing thread. */
    BATON_WRAPPED_POOL
  }

  @AfterEach
  void threadsAreClean() throws Exception {
    pool.stop();
    alicesThread.stop();
    assertThat(pool.leaks()).as("pool threads left bound").isEmpty();
    assertThat(alicesThread.leaks()).as("Alice's thread left bound").isEmpty();
    assertThat(Baton.isBound()).as("test thread left bound").isFalse();
  }

  static AccessToken token(String subject) {
    return new AccessToken(subject + "-future-jwt", "client", List.of(), null, null,
        Map.of("sub", subject));
  }

  static String who() {
    return Baton.currentToken().map(AccessToken::subject).orElse("nobody");
  }

  // ------------------------------------------------------------------ which methods

  /** Whether {@code type} is a function argument (one abstract method), other than an executor. */
  static boolean isFunction(Class<?> type) {
    if (!type.isInterface() || type == Executor.class) {
      return false;
    }
    return Arrays.stream(type.getMethods())
        .filter(m -> Modifier.isAbstract(m.getModifiers()))
        .filter(m -> !isObjectMethod(m))
        .count() == 1;
  }

  private static boolean isObjectMethod(Method method) {
    try {
      Object.class.getMethod(method.getName(), method.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  static Stream<Method> publicInstanceMethods() {
    return Arrays.stream(CompletableFuture.class.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getDeclaringClass() != Object.class)
        .sorted(Comparator.comparing(Method::toGenericString));
  }

  /** Every public instance method of {@code CompletableFuture} that takes a function. */
  static Stream<Method> attachingMethods() {
    return publicInstanceMethods()
        .filter(m -> Arrays.stream(m.getParameterTypes()).anyMatch(CallerFutureEveryMethodTest::isFunction));
  }

  static Stream<Arguments> attachingMethodsOnEveryExecutor() {
    return attachingMethods().flatMap(method -> {
      if (!List.of(method.getParameterTypes()).contains(Executor.class)) {
        return Stream.of(Arguments.of(signature(method), method, ExecutorKind.NONE));
      }
      return Stream.of(ExecutorKind.PLAIN_POOL, ExecutorKind.BATON_WRAPPED_POOL)
          .map(kind -> Arguments.of(signature(method), method, kind));
    });
  }

  /** Those that run their function once the future completes (not {@code completeAsync}). */
  static Stream<Arguments> continuationsOnEveryExecutor() {
    return attachingMethodsOnEveryExecutor()
        .filter(args -> !((Method) args.get()[1]).getName().equals("completeAsync"));
  }

  /** Every public instance method of {@code CompletableFuture} that answers a stage. */
  static Stream<Arguments> stageMethods() {
    return publicInstanceMethods()
        .filter(m -> CompletionStage.class.isAssignableFrom(m.getReturnType()))
        .map(m -> Arguments.of(signature(m), m));
  }

  /** CompletionStage's methods that answer a dependent stage (all but toCompletableFuture). */
  static Stream<Arguments> minimalStageMethods() {
    return stageMethods()
        .filter(args -> isCompletionStageMethod((Method) args.get()[1]))
        .filter(args -> !((Method) args.get()[1]).getName().equals("toCompletableFuture"));
  }

  static String signature(Method method) {
    StringBuilder text = new StringBuilder(method.getName()).append('(');
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      text.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
    }
    return text.append(')').toString();
  }

  // ------------------------------------------------------------------ the rules

  @Test
  void everyMethodTakingAFunction_isOverriddenByCallerFuture() throws Exception {
    List<String> inherited = new ArrayList<>();
    for (Method method : attachingMethods().toList()) {
      Method onCallerFuture =
          CallerFuture.class.getMethod(method.getName(), method.getParameterTypes());
      if (onCallerFuture.getDeclaringClass() != CallerFuture.class) {
        inherited.add(method.toGenericString());
      }
    }
    assertThat(attachingMethods()).as("methods found by reflection").hasSizeGreaterThan(40);
    assertThat(inherited)
        .as("CompletableFuture methods taking a function that CallerFuture does not override:"
            + " each would run its function as whoever completes the future")
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} on {2}")
  @MethodSource("attachingMethodsOnEveryExecutor")
  void attach_asBob_toAlicesPendingFuture_runsAsBob(
      String name, Method method, ExecutorKind kind) throws Exception {
    Attached attached = attachToPending(method, kind, bob);

    assertThat(attached.recorder.await()).isEqualTo("bob");
    assertThat(attached.dependent).isInstanceOf(CallerFuture.class);
  }

  @ParameterizedTest(name = "{0} on {2}")
  @MethodSource("attachingMethodsOnEveryExecutor")
  void attach_withNoCaller_toAlicesPendingFuture_runsAsNobody(
      String name, Method method, ExecutorKind kind) throws Exception {
    Attached attached = attachToPending(method, kind, null);

    assertThat(attached.recorder.await()).isEqualTo("nobody");
  }

  @ParameterizedTest(name = "{0} on {2}")
  @MethodSource("continuationsOnEveryExecutor")
  void attach_asBob_toAFutureAliceAlreadyCompleted_runsAsBob(
      String name, Method method, ExecutorKind kind) throws Exception {
    CallerFuture<String> alices = new CallerFuture<>();
    CompletableFuture<String> alicesOther = new CompletableFuture<>();
    completeAsAlice(alices, alicesOther, failsTheFuture(method));
    Recorder recorder = new Recorder();

    Object dependent;
    try (Scope request = baton.bindRequest(bob)) {
      dependent = invoke(method, alices, arguments(method, recorder, alicesOther, kind));
    }

    assertThat(recorder.await()).isEqualTo("bob");
    assertThat(dependent).isInstanceOf(CallerFuture.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stageMethods")
  void everyMethodAnsweringAStage_answersACallerFuture(String name, Method method)
      throws Exception {
    CallerFuture<String> future = new CallerFuture<>();

    Object stage = invoke(method, future,
        arguments(method, new Recorder(), new CompletableFuture<>(), ExecutorKind.PLAIN_POOL));
    future.complete("done"); // ends orTimeout's and completeOnTimeout's timers

    assertThat(stage).isInstanceOf(CallerFuture.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("minimalStageMethods")
  void everyStageOfAMinimalStage_isAMinimalCallerFuture(String name, Method method)
      throws Exception {
    CallerFuture<String> source = new CallerFuture<>();
    CompletionStage<String> minimal = source.minimalCompletionStage();

    Object stage = invoke(method, minimal,
        arguments(method, new Recorder(), new CompletableFuture<>(), ExecutorKind.PLAIN_POOL));
    source.complete("done");

    assertThat(stage).isInstanceOf(CallerFuture.Minimal.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stageMethods")
  void minimalStage_refusesWhatTheJdksMinimalStageRefuses(String name, Method method)
      throws Exception {
    assertRefusesLikeTheJdk(method);
  }

  @Test
  void minimalStage_refusesEveryOtherMethodTheJdksMinimalStageRefuses() throws Exception {
    List<Method> others = publicInstanceMethods()
        .filter(m -> !CompletionStage.class.isAssignableFrom(m.getReturnType()))
        // state() (JDK 19+) returns a type JDK 17 lacks, so Baton, built for 17, cannot refuse it
        .filter(m -> !m.getName().equals("state"))
        .toList();
    for (Method method : others) {
      assertRefusesLikeTheJdk(method);
    }
  }

  private void assertRefusesLikeTheJdk(Method method) throws Exception {
    // both sources are complete, so a method that does not refuse returns at once
    CompletionStage<String> jdks = CompletableFuture.completedFuture("x").minimalCompletionStage();
    CompletionStage<String> ours = CallerFuture.completedFuture("x").minimalCompletionStage();
    Recorder recorder = new Recorder();
    boolean jdkRefuses = refuses(method, jdks, recorder);
    if (jdkRefuses) {
      assertThat(refuses(method, ours, recorder))
          .as("%s on CallerFuture's minimal stage throws UnsupportedOperationException", method)
          .isTrue();
    }
  }

  private boolean refuses(Method method, Object target, Recorder recorder) throws Exception {
    try {
      invoke(method, target, arguments(method, recorder,
          CompletableFuture.completedFuture("other"), ExecutorKind.PLAIN_POOL));
      return false;
    } catch (UnsupportedOperationException e) {
      return true;
    }
  }

  @Test
  void theTestsFindTheMethodsTheIssueNames() {
    List<String> names = attachingMethods().map(Method::getName).toList();

    assertThat(names).contains("thenCombine", "applyToEither", "acceptEither", "runAfterBoth",
        "exceptionallyCompose", "exceptionallyComposeAsync", "whenComplete", "handle",
        "thenCompose", "completeAsync", "exceptionallyAsync", "thenAcceptBoth");
  }

  @Test
  void minimalStage_isNotCompletedByHand() {
    CompletionStage<String> minimal = new CallerFuture<String>().minimalCompletionStage();

    CompletableFuture<String> full = minimal.toCompletableFuture();
    assertThat(full).isInstanceOf(CallerFuture.class).isNotSameAs(minimal);
    assertThat(full.complete("x")).isTrue();
    assertThat(minimal.toCompletableFuture().isDone()).as("the minimal stage is untouched").isFalse();
    assertThatThrownBy(() -> ((CompletableFuture<String>) minimal).complete("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // ------------------------------------------------------------------ machinery

  /** What an attach answered, and what its function saw. */
  private record Attached(Object dependent, Recorder recorder) {}

  private Attached attachToPending(Method method, ExecutorKind kind, AccessToken attacher)
      throws Exception {
    CallerFuture<String> alices = new CallerFuture<>();
    CompletableFuture<String> alicesOther = new CompletableFuture<>();
    Recorder recorder = new Recorder();
    Object[] arguments = arguments(method, recorder, alicesOther, kind);

    Object dependent;
    if (attacher == null) {
      dependent = invoke(method, alices, arguments);
    } else {
      try (Scope request = baton.bindRequest(attacher)) {
        dependent = invoke(method, alices, arguments);
      }
    }
    if (!method.getName().equals("completeAsync")) {
      // completeAsync's supplier runs by itself; a completion by Alice could pre-empt it
      completeAsAlice(alices, alicesOther, failsTheFuture(method));
    }
    return new Attached(dependent, recorder);
  }

  /** Completes both of Alice's futures on her own thread, bound to her. */
  private void completeAsAlice(CompletableFuture<String> future, CompletableFuture<String> other,
      boolean fail) throws Exception {
    alicesThread.submit(() -> {
      try (Scope request = baton.bindRequest(alice)) {
        other.complete("alice's other result");
        if (fail) {
          future.completeExceptionally(new IllegalStateException("alice's failure"));
        } else {
          future.complete("alice's result");
        }
        // whatever ran here as someone else, the thread is Alice's again
        assertThat(who()).isEqualTo("alice");
      }
    }).get(30, TimeUnit.SECONDS);
  }

  /** Whether the method's function runs only when the future fails. */
  private static boolean failsTheFuture(Method method) {
    return method.getName().startsWith("exceptionally");
  }

  private static boolean isCompletionStageMethod(Method method) {
    try {
      CompletionStage.class.getMethod(method.getName(), method.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static Object invoke(Method method, Object target, Object[] arguments)
      throws Exception {
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  private Object[] arguments(
      Method method, Recorder recorder, CompletionStage<String> other, ExecutorKind kind) {
    Class<?>[] types = method.getParameterTypes();
    Object[] arguments = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      arguments[i] = argument(types[i], method, recorder, other, kind);
    }
    return arguments;
  }

  private Object argument(Class<?> type, Method method, Recorder recorder,
      CompletionStage<String> other, ExecutorKind kind) {
    boolean composes = method.getName().contains("Compose");
    if (type == Function.class) {
      return (Function<Object, Object>) x ->
          recorder.record(composes ? CompletableFuture.completedFuture("composed") : "applied");
    }
    if (type == BiFunction.class) {
      return (BiFunction<Object, Object, Object>) (x, y) -> recorder.record("combined");
    }
    if (type == Consumer.class) {
      return (Consumer<Object>) x -> recorder.record("accepted");
    }
    if (type == BiConsumer.class) {
      return (BiConsumer<Object, Object>) (x, y) -> recorder.record("accepted");
    }
    if (type == Runnable.class) {
      return (Runnable) () -> recorder.record("ran");
    }
    if (type == Supplier.class) {
      return (Supplier<Object>) () -> recorder.record("supplied");
    }
    if (type == CompletionStage.class) {
      return other;
    }
    if (type == Executor.class) {
      return kind == ExecutorKind.BATON_WRAPPED_POOL ? baton.wrap((Executor) pool) : pool;
    }
    if (type == long.class) {
      return 1L;
    }
    if (type == TimeUnit.class) {
      return TimeUnit.DAYS;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == Object.class) {
      return "value";
    }
    if (type == Throwable.class) {
      return new IllegalStateException("test failure");
    }
    throw new AssertionError("no test argument for a " + type.getName() + " in " + method
        + ": teach this test the new parameter type");
  }

  /** Records what the first call of a test function saw. */
  static final class Recorder {
    private final CountDownLatch ran = new CountDownLatch(1);
    private final AtomicReference<String> seen = new AtomicReference<>();

    <T> T record(T result) {
      seen.compareAndSet(null, who());
      ran.countDown();
      return result;
    }

    String await() throws InterruptedException {
      assertThat(ran.await(30, TimeUnit.SECONDS)).as("the function ran within 30 s").isTrue();
      return seen.get();
    }
  }
}
