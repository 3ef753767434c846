package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Item 3: capture-now wrappers, and the opaque binding a context-propagation accessor uses. */
@SuppressWarnings("try")
class CallerBindingTest {
  private final MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.create();
  private final Baton baton = Baton.builder().store(store).build();
  private final AccessToken alice = Tokens.of("binding-alice-jwt", "alice");
  private final AccessToken bob = Tokens.of("binding-bob-jwt", "bob");
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void tearDown() throws Exception {
    pool.shutdownNow();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    store.close();
    assertThat(Baton.isBound()).isFalse();
  }

  private CallerBinding as(AccessToken caller) {
    try (Scope request = baton.bindRequest(caller)) {
      return Baton.currentBinding();
    }
  }

  private static String who() {
    return Baton.currentToken().map(t -> t.subject()).orElse("nobody");
  }

  /** Alice's future, still pending until the test completes it on Alice's behalf. */
  private CompletableFuture<String> alicesPendingFuture() {
    return new CompletableFuture<>();
  }

  private void completeAsAlice(CompletableFuture<String> future) throws Exception {
    pool.submit(() -> {
      try (Scope request = baton.bindRequest(alice)) {
        future.complete("alice's result");
      }
    }).get(30, TimeUnit.SECONDS);
  }

  @Test
  void thenApplyAsync_withWrappedFunction_onAlicesPendingFuture_runsAsBob() throws Exception {
    CompletableFuture<String> alices = alicesPendingFuture();
    CompletableFuture<String> bobs;
    try (Scope request = baton.bindRequest(bob)) {
      bobs = alices.thenApplyAsync(
          Baton.currentBinding().wrapFunction(r -> who()), baton.wrap(pool));
    }

    completeAsAlice(alices);

    assertThat(bobs.get(30, TimeUnit.SECONDS)).isEqualTo("bob");
  }

  @Test
  void thenApplyAsync_withWrappedExecutorOnly_runsAsWhoeverCompleted_documentedLimit()
      throws Exception {
    CompletableFuture<String> alices = alicesPendingFuture();
    CompletableFuture<String> bobs;
    try (Scope request = baton.bindRequest(bob)) {
      bobs = alices.thenApplyAsync(r -> who(), baton.wrap(pool));
    }

    completeAsAlice(alices);

    // the executor wrapper captures the submitter, which is the completing thread: this is why
    // continuations attached by another caller must wrap the function
    assertThat(bobs.get(30, TimeUnit.SECONDS)).isEqualTo("alice");
  }

  @Test
  void thenApply_withWrappedFunction_onAlicesPendingFuture_runsAsBob() throws Exception {
    CompletableFuture<String> alices = alicesPendingFuture();
    CompletableFuture<String> bobs;
    try (Scope request = baton.bindRequest(bob)) {
      bobs = alices.thenApply(Baton.currentBinding().wrapFunction(r -> who()));
    }

    completeAsAlice(alices);

    assertThat(bobs.get(30, TimeUnit.SECONDS)).isEqualTo("bob");
  }

  @Test
  void everyWrapper_runsAsTheCallerCapturedAtWrapping_onAThreadBoundToSomeoneElse()
      throws Exception {
    CallerBinding bobs = as(bob);
    AtomicReference<String> seen = new AtomicReference<>();
    try (Scope request = baton.bindRequest(alice)) {
      bobs.wrapRunnable(() -> seen.set(who())).run();
      assertThat(seen.get()).isEqualTo("bob");
      assertThat(bobs.wrapCallable(CallerBindingTest::who).call()).isEqualTo("bob");
      assertThat(bobs.wrapSupplier(CallerBindingTest::who).get()).isEqualTo("bob");
      assertThat(bobs.wrapFunction((String x) -> x + who()).apply(">")).isEqualTo(">bob");
      assertThat(bobs.wrapBiFunction((String x, String y) -> x + y + who()).apply("<", ">"))
          .isEqualTo("<>bob");
      bobs.wrapConsumer((String x) -> seen.set(x + who())).accept("!");
      assertThat(seen.get()).isEqualTo("!bob");
      assertThat(who()).isEqualTo("alice");
    }
  }

  @Test
  void wrapper_whenTheCallbackThrows_restoresTheThread() {
    CallerBinding bobs = as(bob);
    try (Scope request = baton.bindRequest(alice)) {
      assertThatThrownBy(() -> bobs.wrapRunnable(() -> {
        throw new IllegalStateException("boom");
      }).run()).hasMessage("boom");
      assertThat(who()).isEqualTo("alice");
    }
  }

  @Test
  void none_wrappedCallback_neverInheritsTheThreadsCaller() {
    CallerBinding nobody = Baton.currentBinding();
    assertThat(nobody.isNone()).isTrue();
    try (Scope request = baton.bindRequest(alice)) {
      assertThat(nobody.wrapSupplier(CallerBindingTest::who).get()).isEqualTo("nobody");
      assertThat(who()).isEqualTo("alice");
    }
  }

  @Test
  void current_onAnUnboundThread_isNull() {
    assertThat(CallerBinding.current()).isNull();
  }

  @Test
  void install_onAnotherThread_answersLikeTheCapturingThread_includingTheTaskContext()
      throws Exception {
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "t"), alice);
    CallerBinding binding;
    TaskContext context;
    try (TaskScope task = baton.enter(key)) {
      binding = CallerBinding.current();
      context = task.context();
    }

    AtomicReference<Optional<TaskContext>> seen = new AtomicReference<>();
    String who = pool.submit(() -> {
      try (Scope installed = binding.install()) {
        seen.set(TaskContext.current());
        return who();
      }
    }).get(30, TimeUnit.SECONDS);

    assertThat(who).isEqualTo("alice");
    assertThat(seen.get()).containsSame(context);
  }

  @Test
  void install_nestedAndClosedOutOfOrder_restoresExactly() {
    CallerBinding alices = as(alice);
    CallerBinding bobs = as(bob);
    try (Scope outer = alices.install()) {
      Scope inner = bobs.install();
      Scope innermost = CallerBinding.none().install();
      assertThat(who()).isEqualTo("nobody");
      inner.close();
      assertThat(who()).isEqualTo("alice");
      innermost.close();
      assertThat(who()).isEqualTo("alice");
    }
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void accessToken_isCheckedForExpiryOnEveryRead() {
    TestTime time = new TestTime();
    Baton timed = Baton.builder().clock(time.clock).build();
    AccessToken expiring = Tokens.expiringAt("binding-expiring-jwt", "carol",
        time.clock.instant().plusSeconds(60));
    CallerBinding binding;
    try (Scope request = timed.bindRequest(expiring)) {
      binding = CallerBinding.current();
    }
    assertThat(binding.accessToken()).contains(expiring);

    time.advance(java.time.Duration.ofSeconds(61));

    assertThat(binding.accessToken()).isEmpty();
    // Installing an expired caller is decided by the binding Baton's policy (FAIL by default).
    assertThatThrownBy(binding::install).isInstanceOf(dev.baton.RestoreFailedException.class);
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void toString_neverShowsTheToken() {
    assertThat(List.of(as(alice).toString(), CallerBinding.none().toString()))
        .noneMatch(s -> s.contains("binding-alice-jwt"));
  }

  @Test
  void equals_everyCaptureOfOneBinding_isEqual_onAnyThread() throws Exception {
    CallerBinding captured;
    CallerBinding again;
    try (Scope request = baton.bindRequest(alice)) {
      captured = Baton.currentBinding();
      again = Baton.currentBinding();
    }
    CallerBinding onPool = pool.submit(() -> {
      try (Scope installed = captured.install()) {
        return Baton.currentBinding();
      }
    }).get(30, TimeUnit.SECONDS);

    assertThat(again).isEqualTo(captured).hasSameHashCodeAs(captured);
    assertThat(onPool).isEqualTo(captured).hasSameHashCodeAs(captured);
  }

  @Test
  void equals_twoBindingsOfTheSameToken_areTwoBindings() {
    assertThat(as(alice)).isNotEqualTo(as(alice)).isNotEqualTo(as(bob));
    assertThat(CallerBinding.none()).isEqualTo(CallerBinding.capture()).isNotEqualTo(as(alice));
  }
}
