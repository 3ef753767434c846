package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * In-process tasks ({@link Baton#wrap(ExecutorService)}): their keys are numbered only when asked
 * for, yet each task has exactly one key; and a caller captured from another Baton's binding is
 * judged by the wrapping Baton's own clock and leeway once the task runs.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class LocalTaskContextTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final Baton baton = Baton.builder().clock(clock).build();
  private final AccessToken alice = AccessToken.of("alice-token", "client");

  @AfterEach
  void threadIsClean() {
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void localTaskKey_askedTwice_isTheSameKey() {
    TaskContext context = contextOfALocalTask();

    assertThat(context.key()).isSameAs(context.key());
    assertThat(context.key().scope()).isEqualTo(Baton.LOCAL_SCOPE);
  }

  @Test
  void localTaskKeys_ofDifferentTasks_differ() {
    var keys = new HashSet<TaskKey>();
    for (int i = 0; i < 100; i++) {
      keys.add(contextOfALocalTask().key());
    }

    assertThat(keys).hasSize(100);
  }

  @Test
  void localTaskKey_askedByManyThreadsAtOnce_isOneKey() throws Exception {
    TaskContext context = contextOfALocalTask();
    int threads = 8;
    var start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<TaskKey>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<TaskKey> ask = () -> {
          start.await();
          return context.key();
        };
        answers.add(pool.submit(ask));
      }
      start.countDown();
      var keys = new HashSet<TaskKey>();
      for (Future<TaskKey> answer : answers) {
        keys.add(answer.get());
      }

      assertThat(keys).containsExactly(context.key());
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void callerBoundByAnotherBaton_isJudgedByTheWrappingBatonsLeeway() throws Exception {
    AccessToken shortLived = new AccessToken("short-token", "client", List.of(),
        NOW.plusSeconds(10), null, Map.of());
    Baton strict = Baton.builder().clock(clock).build();
    Baton lenient = Baton.builder().clock(clock).leeway(Duration.ofMinutes(5)).build();
    CallerBinding captured;
    try (Scope request = strict.bindRequest(shortLived)) {
      captured = lenient.captureLocal();
    }

    clock.advance(Duration.ofMinutes(1));

    assertThat(captured.accessToken()).contains(shortLived);
    clock.advance(Duration.ofMinutes(5));
    assertThat(captured.accessToken()).isEmpty();
  }

  @Test
  void callerExpiredAtCapture_failsTheTaskWhenItStarts_evenUnderALongerLeeway() {
    AccessToken expired = new AccessToken("expired-token", "client", List.of(),
        NOW.minusSeconds(1), null, Map.of());
    Baton strict = Baton.builder().clock(clock).build();
    Baton lenient = Baton.builder().clock(clock).leeway(Duration.ofMinutes(5)).build();
    CallerBinding captured;
    try (Scope request = strict.bindRequest(expired)) {
      captured = lenient.captureLocal();
    }

    assertThat(captured.accessToken()).isEmpty();
    assertThatThrownBy(captured::install).isInstanceOfSatisfying(RestoreFailedException.class,
        e -> assertThat(e.reason()).isEqualTo(RestoreFailedException.Reason.CALLER_EXPIRED));
  }

  @Test
  void callerExpiredAtCapture_underRunUnauthenticated_runsWithNoCaller_evenUnderALongerLeeway() {
    AccessToken expired = new AccessToken("expired-token", "client", List.of(),
        NOW.minusSeconds(1), null, Map.of());
    Baton strict = Baton.builder().clock(clock).build();
    Baton lenient = Baton.builder().clock(clock).leeway(Duration.ofMinutes(5))
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();
    CallerBinding captured;
    try (Scope request = strict.bindRequest(expired)) {
      captured = lenient.captureLocal();
    }

    try (Scope task = captured.install()) {
      assertThat(Baton.currentToken()).isEmpty();
      assertThat(TaskContext.current()).isPresent();
    }
  }

  @Test
  void callerBoundByThisBaton_isJudgedWhenTheTaskStarts_byTheClockAsItThenReads() {
    AccessToken shortLived = new AccessToken("short-token", "client", List.of(),
        NOW.plusSeconds(10), null, Map.of());
    CallerBinding captured;
    try (Scope request = baton.bindRequest(shortLived)) {
      clock.advance(Duration.ofSeconds(20));
      // expired now, but the submit reads no clock: the task start decides
      captured = baton.captureLocal();
    }
    clock.set(NOW);

    try (Scope task = captured.install()) {
      assertThat(Baton.currentToken()).contains(shortLived);
    }
  }

  private TaskContext contextOfALocalTask() {
    try (Scope request = baton.bindRequest(alice)) {
      CallerBinding binding = baton.captureLocal();
      try (Scope task = binding.install()) {
        return TaskContext.current().orElseThrow();
      }
    }
  }
}
