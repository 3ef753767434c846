package dev.baton;

import static dev.baton.CallerFutureEveryMethodTest.token;
import static dev.baton.CallerFutureEveryMethodTest.who;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rules of {@link CallerFuture} beyond the per-method sweep: making one, chains, failures. */
@SuppressWarnings({"try", "FutureReturnValueIgnored"})
class CallerFutureTest {
  private final Baton baton = Baton.builder().lifespan(Map.of("app", "reports")).build();
  private final AccessToken alice = token("alice");
  private final AccessToken bob = token("bob");
  private final AccessToken carol = token("carol");
  private final LeakCheckingPool pool = new LeakCheckingPool(2);
  private final LeakCheckingPool alicesThread = new LeakCheckingPool(1);

  @AfterEach
  void threadsAreClean() throws Exception {
    pool.stop();
    alicesThread.stop();
    assertThat(pool.leaks()).as("pool threads left bound").isEmpty();
    assertThat(alicesThread.leaks()).as("Alice's thread left bound").isEmpty();
    assertThat(Baton.isBound()).as("test thread left bound").isFalse();
  }

  private <T> T as(AccessToken caller, java.util.function.Supplier<T> action) {
    try (Scope request = baton.bindRequest(caller)) {
      return action.get();
    }
  }

  private void completeAsAlice(CompletableFuture<String> future) throws Exception {
    alicesThread.submit(() -> {
      try (Scope request = baton.bindRequest(alice)) {
        future.complete("alice's result");
      }
    }).get(30, TimeUnit.SECONDS);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  // ------------------------------------------------------------------ the case

  @Test
  void thenApplyAsync_byBob_onAlicesPendingFuture_withBatonWrappedPool_runsAsBob()
      throws Exception {
    CallerFuture<String> alices = new CallerFuture<>();
    Executor wrapped = baton.wrap((Executor) pool);

    CallerFuture<String> bobs = as(bob, () -> alices.thenApplyAsync(r -> who(), wrapped));
    completeAsAlice(alices);

    assertThat(await(bobs)).isEqualTo("bob");
  }

  @Test
  void thenApplyAsync_onAPlainFuture_withBatonWrappedPool_runsAsTheCompleter_theTrapThisFixes()
      throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();

    CompletableFuture<String> bobs =
        as(bob, () -> pending.thenApplyAsync(r -> who(), baton.wrap((Executor) pool)));
    completeAsAlice(pending);

    assertThat(await(bobs)).isEqualTo("alice");
  }

  // ------------------------------------------------------------------ making one

  @Test
  void supplyAsync_runsTheSupplierAsTheCallerWhoCalledIt_asATaskOfThisBaton() throws Exception {
    CallerFuture<String> future = as(bob, () -> baton.supplyAsync(
        () -> who() + " " + TaskContext.current().orElseThrow().lifespan().get("app"), pool));

    assertThat(await(future)).isEqualTo("bob reports");
  }

  @Test
  void runAsync_runsTheRunnableAsTheCallerWhoCalledIt() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();

    CallerFuture<Void> future = as(bob, () -> baton.runAsync(() -> seen.set(who()), pool));
    await(future);

    assertThat(seen.get()).isEqualTo("bob");
  }

  @Test
  void supplyAsync_byAThreadWithNoCaller_runsAsNobody_onAPoolThreadThatRanSomeoneElse()
      throws Exception {
    await(as(alice, () -> baton.supplyAsync(CallerFutureEveryMethodTest::who, pool)));

    assertThat(await(baton.supplyAsync(CallerFutureEveryMethodTest::who, pool)))
        .isEqualTo("nobody");
  }

  @Test
  void supplyAsync_whenTheSupplierThrows_failsTheFuture_andTheThreadIsClean() {
    CallerFuture<String> future = as(bob, () -> baton.supplyAsync(() -> {
      throw new IllegalStateException("bob's failure");
    }, pool));

    assertThatThrownBy(() -> await(future))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void supplyAsync_nullArguments_throwNullPointerException() {
    assertThatThrownBy(() -> baton.supplyAsync(null, pool))
        .isInstanceOf(NullPointerException.class).hasMessage("supplier");
    assertThatThrownBy(() -> baton.supplyAsync(() -> "x", null))
        .isInstanceOf(NullPointerException.class).hasMessage("executor");
    assertThatThrownBy(() -> baton.runAsync(null, pool))
        .isInstanceOf(NullPointerException.class).hasMessage("runnable");
    assertThatThrownBy(() -> baton.runAsync(() -> { }, null))
        .isInstanceOf(NullPointerException.class).hasMessage("executor");
    assertThatThrownBy(() -> CallerFuture.adopt(null))
        .isInstanceOf(NullPointerException.class).hasMessage("stage");
  }

  @Test
  void supplyAsync_onAnExecutorThatRefuses_throwsAtOnce_andTheThreadIsClean() throws Exception {
    pool.stop();

    try (Scope request = baton.bindRequest(bob)) {
      assertThatThrownBy(() -> baton.supplyAsync(() -> "x", pool))
          .isInstanceOf(RejectedExecutionException.class);
      assertThat(who()).isEqualTo("bob");
    }
  }

  @Test
  void adopt_aPlainPendingFuture_continuationsRunAsTheirAttachers() throws Exception {
    CompletableFuture<String> alicesPlain = new CompletableFuture<>();
    CallerFuture<String> adopted = CallerFuture.adopt(alicesPlain);

    CallerFuture<String> bobs = as(bob, () -> adopted.thenApply(r -> r + " seen by " + who()));
    completeAsAlice(alicesPlain);

    assertThat(await(bobs)).isEqualTo("alice's result seen by bob");
  }

  @Test
  void adopt_relaysTheSameException() {
    IllegalStateException failure = new IllegalStateException("failed");

    CallerFuture<String> adopted = CallerFuture.adopt(CompletableFuture.failedFuture(failure));

    assertThatThrownBy(adopted::join).isInstanceOf(CompletionException.class).hasCause(failure);
  }

  @Test
  void adopt_aCancelledFuture_isCancelled() {
    CompletableFuture<String> plain = new CompletableFuture<>();
    CallerFuture<String> adopted = CallerFuture.adopt(plain);

    plain.cancel(false);

    assertThat(adopted.isCancelled()).isTrue();
  }

  @Test
  void adopt_cancellingTheAdoptedFuture_leavesTheSourceAlone() {
    CompletableFuture<String> plain = new CompletableFuture<>();

    CallerFuture.adopt(plain).cancel(false);

    assertThat(plain.isDone()).isFalse();
  }

  @Test
  void adopt_aCallerFuture_returnsIt() {
    CallerFuture<String> future = new CallerFuture<>();

    assertThat(CallerFuture.adopt(future)).isSameAs(future);
  }

  @Test
  void adopt_aMinimalStage_answersAFullCallerFuture() {
    CompletionStage<String> minimal = CallerFuture.completedStage("x");

    CallerFuture<String> adopted = CallerFuture.adopt(minimal);

    assertThat(adopted).isNotInstanceOf(CallerFuture.Minimal.class);
    assertThat(adopted.join()).isEqualTo("x");
  }

  @Test
  void staticFactories_answerCallerFutures() throws Exception {
    CallerFuture<String> done = CallerFuture.completedFuture("x");

    assertThat(CallerFuture.failedFuture(new IllegalStateException())).isCompletedExceptionally();
    // (Object): AssertJ's assertThat(CompletionStage) would look at toCompletableFuture()
    assertThat((Object) CallerFuture.completedStage("x")).isInstanceOf(CallerFuture.Minimal.class);
    assertThat((Object) CallerFuture.failedStage(new IllegalStateException()))
        .isInstanceOf(CallerFuture.Minimal.class);
    assertThat(await(CallerFuture.allOf(done, CompletableFuture.completedFuture("y")))).isNull();
    assertThat(await(CallerFuture.anyOf(done))).isEqualTo("x");
  }

  @Test
  void staticSupplyAsync_runsAsTheCallersBinding_andAnswersACallerFuture() throws Exception {
    CallerFuture<String> onPool = as(bob, () -> CallerFuture.supplyAsync(
        CallerFutureEveryMethodTest::who, pool));
    CallerFuture<String> onDefault = as(bob, () -> CallerFuture.supplyAsync(
        CallerFutureEveryMethodTest::who));
    AtomicReference<String> ran = new AtomicReference<>();
    CallerFuture<Void> run = as(bob, () -> CallerFuture.runAsync(() -> ran.set(who()), pool));

    assertThat(await(onPool)).isEqualTo("bob");
    assertThat(await(onDefault)).isEqualTo("bob");
    await(run);
    assertThat(ran.get()).isEqualTo("bob");
  }

  // ------------------------------------------------------------------ chains

  @Test
  void dependentOfADependent_runsAsItsOwnAttacher() throws Exception {
    CallerFuture<String> alices = new CallerFuture<>();
    CallerFuture<String> alicesStep = as(alice, () -> alices.thenApply(r -> who()));

    CallerFuture<String> bobsStep = as(bob, () -> alicesStep.thenApply(r -> r + "," + who()));
    CallerFuture<String> carolsStep =
        as(carol, () -> bobsStep.thenApplyAsync(r -> r + "," + who(), pool));
    alices.complete("go"); // by the test thread, which has no caller

    assertThat(await(carolsStep)).isEqualTo("alice,bob,carol");
  }

  @Test
  void thenCompose_theStageItAnswersFollowsTheRule() throws Exception {
    CallerFuture<String> alices = new CallerFuture<>();
    CompletableFuture<String> inner = new CompletableFuture<>();
    CallerFuture<String> composed = as(alice, () -> alices.thenCompose(r -> inner));

    CallerFuture<String> bobs = as(bob, () -> composed.thenApply(r -> who()));
    alices.complete("go");
    completeAsAlice(inner);

    assertThat(composed).isInstanceOf(CallerFuture.class);
    assertThat(await(bobs)).isEqualTo("bob");
  }

  @Test
  void completion_fromATaskRunningAsCarol_continuationsStillRunAsBob() throws Exception {
    CallerFuture<String> future = new CallerFuture<>();
    CallerFuture<String> bobs = as(bob, () -> future.thenApply(r -> who()));

    AtomicReference<String> completer = new AtomicReference<>();
    try (Scope request = baton.bindRequest(carol)) {
      baton.wrap((Executor) pool).execute(() -> {
        completer.set(who());
        future.complete("carol's");
      });
    }

    assertThat(await(bobs)).isEqualTo("bob");
    assertThat(completer.get()).isEqualTo("carol");
  }

  @Test
  void completion_byTheJdksTimeoutThread_continuationsRunAsTheirAttacher() throws Exception {
    CallerFuture<String> future = new CallerFuture<>();
    CallerFuture<String> timesOut = future.orTimeout(1, TimeUnit.MILLISECONDS);

    CallerFuture<String> bobs = as(bob, () -> timesOut.exceptionally(
        failure -> failure.getClass().getSimpleName() + " seen by " + who()));

    assertThat(await(bobs)).isEqualTo(TimeoutException.class.getSimpleName() + " seen by bob");
  }

  @Test
  void continuation_thatThrows_failsItsStage_andRestoresTheCompletingThread() throws Exception {
    CallerFuture<String> future = new CallerFuture<>();
    CallerFuture<String> bobs = as(bob, () -> future.thenApply(r -> {
      throw new IllegalStateException("bob's continuation failed");
    }));
    AtomicReference<String> afterwards = new AtomicReference<>();

    alicesThread.submit(() -> {
      try (Scope request = baton.bindRequest(alice)) {
        future.complete("x");
        afterwards.set(who());
      }
    }).get(30, TimeUnit.SECONDS);

    assertThat(afterwards.get()).isEqualTo("alice");
    assertThatThrownBy(bobs::join).hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void minimalStage_continuationsRunAsTheirAttacher_andToCompletableFutureIsFull()
      throws Exception {
    CallerFuture<String> future = new CallerFuture<>();
    CompletionStage<String> minimal = future.minimalCompletionStage();

    CompletionStage<String> bobs = as(bob, () -> minimal.thenApply(r -> who()));
    completeAsAlice(future);

    assertThat(await(bobs)).isEqualTo("bob");
    assertThat(minimal.toCompletableFuture().join()).isEqualTo("alice's result");
  }

  @Test
  void minimalStage_ofAFailedFuture_failsWithACompletionException() {
    IllegalStateException failure = new IllegalStateException("failed");

    CompletionStage<String> minimal = CallerFuture.<String>failedFuture(failure)
        .minimalCompletionStage();

    assertThatThrownBy(() -> minimal.toCompletableFuture().join())
        .isInstanceOf(CompletionException.class).hasCause(failure);
  }

  @Test
  void cancel_aCallerFuture_cancelsItsDependentsLikeAPlainOne() {
    CallerFuture<String> future = new CallerFuture<>();
    CallerFuture<String> dependent = as(bob, () -> future.thenApply(r -> who()));

    future.cancel(false);

    assertThatThrownBy(dependent::join).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(CancellationException.class);
  }

  // ------------------------------------------------------------------ the README's example

  @Test
  void readmeExample_bobsContinuationOnAlicesReport_runsAsBob() throws Exception {
    Executor pool = this.pool;
    CallerFuture<String> report;
    try (Scope request = baton.bindRequest(alice)) {
      report = baton.supplyAsync(() -> "report for " + who(), pool);
    }
    CallerFuture<String> summary;
    try (Scope request = baton.bindRequest(bob)) {
      // runs as Bob, whoever completes the report and whichever executor runs it
      summary = report.thenApplyAsync(text -> who() + " read the " + text, pool);
    }

    assertThat(await(summary)).isEqualTo("bob read the report for alice");
  }
}
