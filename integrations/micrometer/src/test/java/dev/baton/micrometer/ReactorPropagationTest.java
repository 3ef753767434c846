package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Reactor's automatic context propagation carries Baton's caller with no Baton code. */
class ReactorPropagationTest {
  private static final String HOOK = "baton-clean-after-task";
  /** Reactor tasks before or after which the worker thread was bound. */
  private static final AtomicInteger BOUND_BETWEEN_TASKS = new AtomicInteger();
  /** Reactor tasks run under the hook (so the check above did run). */
  private static final AtomicInteger TASKS = new AtomicInteger();

  private final Baton baton = Callers.baton(new Callers.MutableClock());
  private final AccessToken alice = Callers.token("alice");

  @BeforeAll
  static void enable() {
    Hooks.enableAutomaticContextPropagation();
    // Every task Reactor schedules, on every scheduler, must find its worker unbound and leave it
    // unbound. This hook is the outermost wrapper: Reactor's own propagation (which installs the
    // captured context, an explicit "no caller" when empty) runs inside it.
    Schedulers.onScheduleHook(HOOK, task -> () -> {
      TASKS.incrementAndGet();
      if (Baton.isBound()) {
        BOUND_BETWEEN_TASKS.incrementAndGet();
      }
      try {
        task.run();
      } finally {
        if (Baton.isBound()) {
          BOUND_BETWEEN_TASKS.incrementAndGet();
        }
      }
    });
  }

  @AfterAll
  static void disable() throws Exception {
    assertParallelWorkersUnbound();
    assertThat(TASKS.get()).as("Reactor tasks checked").isGreaterThan(10_000);
    assertThat(BOUND_BETWEEN_TASKS).as("Reactor tasks that found or left their worker bound")
        .hasValue(0);
    Schedulers.resetOnScheduleHook(HOOK);
    Hooks.disableAutomaticContextPropagation();
  }

  /**
   * Runs a task on every worker of the parallel scheduler, all at once: the hook checks that each
   * thread is unbound around it, and the task that it sees no caller.
   */
  private static void assertParallelWorkersUnbound() throws Exception {
    int workers = Schedulers.DEFAULT_POOL_SIZE;
    CountDownLatch allThere = new CountDownLatch(workers);
    CountDownLatch done = new CountDownLatch(workers);
    AtomicInteger bound = new AtomicInteger();
    List<Scheduler.Worker> created = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      Scheduler.Worker worker = Schedulers.parallel().createWorker();
      created.add(worker);
      worker.schedule(() -> {
        // Inside the task, Reactor has installed the (empty) captured context: no caller.
        if (Baton.currentToken().isPresent()) {
          bound.incrementAndGet();
        }
        allThere.countDown();
        try {
          // Hold the thread until every worker has checked: each check is on a distinct thread.
          allThere.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        done.countDown();
      });
    }
    done.await();
    created.forEach(Scheduler.Worker::dispose);
    assertThat(bound).as("parallel workers with a caller at the end").hasValue(0);
  }

  @Test
  void subscribeOnBoundedElastic_seesTheSubscriber() {
    try (Scope scope = baton.bindRequest(alice)) {
      assertThat(Mono.fromCallable(Baton::currentToken)
          .subscribeOn(Schedulers.boundedElastic()).block()).contains(alice);
    }
  }

  @Test
  void subscribeOnParallel_seesTheSubscriber() {
    try (Scope scope = baton.bindRequest(alice)) {
      assertThat(Mono.fromCallable(Baton::currentToken)
          .subscribeOn(Schedulers.parallel()).block()).contains(alice);
    }
  }

  @Test
  void publishOnParallelThenBoundedElastic_everyStageSeesTheSubscriber() {
    try (Scope scope = baton.bindRequest(alice)) {
      List<Optional<AccessToken>> seen = Flux.range(0, 50)
          .publishOn(Schedulers.parallel())
          .map(i -> Baton.currentToken())
          .publishOn(Schedulers.boundedElastic())
          .filter(t -> t.equals(Baton.currentToken()))
          .collectList()
          .block();
      assertThat(seen).hasSize(50).allSatisfy(t -> assertThat(t).contains(alice));
    }
  }

  @Test
  void subscriberWithoutCaller_seesNoCaller() {
    assertThat(Mono.fromCallable(Baton::currentToken)
        .subscribeOn(Schedulers.boundedElastic()).block()).isEmpty();
  }

  @Test
  void flatMapFanOut_tenThousandElementsFromHundredCallers_eachSeesItsOwnCaller()
      throws Exception {
    int callers = 100;
    int perCaller = 100;
    ExecutorService submitters = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<List<Optional<AccessToken>>>> results = new ArrayList<>();
      List<AccessToken> tokens = new ArrayList<>();
      CountDownLatch subscribed = new CountDownLatch(callers);
      for (int c = 0; c < callers; c++) {
        AccessToken caller = Callers.token("caller-" + c);
        tokens.add(caller);
        Scheduler scheduler = c % 2 == 0 ? Schedulers.parallel() : Schedulers.boundedElastic();
        results.add(CompletableFuture.supplyAsync(() -> {
          try (Scope scope = baton.bindRequest(caller)) {
            CompletableFuture<List<Optional<AccessToken>>> result = Flux.range(0, perCaller)
                .flatMap(i -> Mono.fromCallable(Baton::currentToken)
                    .subscribeOn(i % 2 == 0 ? Schedulers.parallel() : Schedulers.boundedElastic())
                    .publishOn(scheduler)
                    .map(t -> t.equals(Baton.currentToken()) ? t : Optional.<AccessToken>empty()))
                .collectList()
                .toFuture();
            subscribed.countDown();
            return result;
          }
        }, submitters).thenCompose(f -> f));
      }
      subscribed.await();
      int elements = 0;
      for (int c = 0; c < callers; c++) {
        List<Optional<AccessToken>> seen = results.get(c).get();
        assertThat(seen).hasSize(perCaller);
        AccessToken expected = tokens.get(c);
        assertThat(seen).allSatisfy(t -> assertThat(t).contains(expected));
        elements += seen.size();
      }
      assertThat(elements).isEqualTo(10_000);
    } finally {
      submitters.shutdown();
      assertThat(submitters.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    }
    assertThat(submitters.isTerminated()).isTrue();
    assertThat(Baton.isBound()).isFalse();
  }
}
