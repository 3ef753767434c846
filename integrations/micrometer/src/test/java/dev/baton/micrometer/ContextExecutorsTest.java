package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextScheduledExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContextExecutorsTest {
  private static final ContextSnapshotFactory FACTORY = ContextSnapshotFactory.builder().build();
  private final Baton baton = Callers.baton(new Callers.MutableClock());
  private final AccessToken alice = Callers.token("alice");
  private final AccessToken bob = Callers.token("bob");
  private final ExecutorService plain = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService scheduled = Executors.newScheduledThreadPool(2);

  @AfterEach
  void poolsAreClean() throws Exception {
    for (ExecutorService pool : List.of(plain, scheduled)) {
      List<Future<Boolean>> checks = new ArrayList<>();
      CountDownLatch allBusy = new CountDownLatch(2);
      for (int i = 0; i < 2; i++) {
        // Both workers at once: each check waits until the other is running too.
        checks.add(pool.submit(() -> {
          allBusy.countDown();
          allBusy.await();
          return Baton.isBound();
        }));
      }
      for (Future<Boolean> check : checks) {
        assertThat(check.get()).as("worker bound after the test").isFalse();
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    }
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void contextExecutorService_runsEachTaskAsItsSubmitter() throws Exception {
    ExecutorService wrapped = ContextExecutorService.wrap(plain, FACTORY);
    List<Future<Optional<AccessToken>>> ofAlice = new ArrayList<>();
    List<Future<Optional<AccessToken>>> ofBob = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      try (Scope scope = baton.bindRequest(alice)) {
        ofAlice.add(wrapped.submit(Baton::currentToken));
      }
      try (Scope scope = baton.bindRequest(bob)) {
        ofBob.add(wrapped.submit(Baton::currentToken));
      }
      ofAlice.add(wrapped.submit(Baton::currentToken));
    }
    int anonymous = 0;
    for (int i = 0; i < ofAlice.size(); i++) {
      Optional<AccessToken> seen = ofAlice.get(i).get();
      if (i % 2 == 0) {
        assertThat(seen).contains(alice);
      } else {
        assertThat(seen).isEmpty();
        anonymous++;
      }
    }
    assertThat(anonymous).isEqualTo(200);
    for (Future<Optional<AccessToken>> f : ofBob) {
      assertThat(f.get()).contains(bob);
    }
  }

  @Test
  void contextScheduledExecutorService_everyRunActsAsTheScheduler() throws Exception {
    ScheduledExecutorService wrapped = ContextScheduledExecutorService.wrap(scheduled, FACTORY);
    CountDownLatch threeRuns = new CountDownLatch(3);
    List<Optional<AccessToken>> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    ScheduledFuture<?> repeating;
    ScheduledFuture<Optional<AccessToken>> once;
    try (Scope scope = baton.bindRequest(alice)) {
      repeating = wrapped.scheduleAtFixedRate(() -> {
        seen.add(Baton.currentToken());
        threeRuns.countDown();
      }, 0, 1, TimeUnit.MILLISECONDS);
    }
    try (Scope scope = baton.bindRequest(bob)) {
      once = wrapped.schedule(Baton::currentToken, 1, TimeUnit.MILLISECONDS);
    }
    threeRuns.await();
    repeating.cancel(false);
    assertThat(once.get()).contains(bob);
    synchronized (seen) {
      assertThat(seen).hasSizeGreaterThanOrEqualTo(3).allSatisfy(s -> assertThat(s).contains(alice));
    }
  }

  @Test
  void batonWrappedInsideMicrometerWrapped_runsAsTheSubmitter() throws Exception {
    ExecutorService wrapped = ContextExecutorService.wrap(baton.wrap(plain), FACTORY);
    assertSubmitterSeen(wrapped);
  }

  @Test
  void micrometerWrappedInsideBatonWrapped_runsAsTheSubmitter() throws Exception {
    ExecutorService wrapped = baton.wrap(ContextExecutorService.wrap(plain, FACTORY));
    assertSubmitterSeen(wrapped);
  }

  @Test
  void snapshotWrappedRunnableInsideBatonWrapped_runsAsTheCapturer() throws Exception {
    ExecutorService batonPool = baton.wrap(plain);
    Runnable fromAlice;
    AtomicInteger wrongCaller = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    try (Scope scope = baton.bindRequest(alice)) {
      fromAlice = ContextSnapshotFactory.builder().build().captureAll().wrap(() -> {
        if (!Baton.currentToken().equals(Optional.of(alice))) {
          wrongCaller.incrementAndGet();
        }
        done.countDown();
      });
    }
    try (Scope scope = baton.bindRequest(bob)) {
      batonPool.execute(fromAlice);
    }
    done.await();
    assertThat(wrongCaller).hasValue(0);
  }

  @Test
  void taskThatLeavesABatonScopeOpen_isUnwoundSoTheNextTaskSeesItsOwnSubmitter() throws Exception {
    ExecutorService single = ContextExecutorService.wrap(Executors.newSingleThreadExecutor(), FACTORY);
    try {
      Future<Optional<AccessToken>> leaky;
      Future<Optional<AccessToken>> next;
      Future<Boolean> boundAfter;
      try (Scope scope = baton.bindRequest(alice)) {
        leaky = single.submit(() -> {
          baton.bindRequest(bob); // never closed
          return Baton.currentToken();
        });
      }
      next = single.submit(Baton::currentToken);
      boundAfter = single.submit(Baton::isBound);
      assertThat(leaky.get()).contains(bob);
      assertThat(next.get()).isEmpty();
      assertThat(boundAfter.get()).isFalse();
    } finally {
      single.shutdown();
      assertThat(single.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    }
  }

  private void assertSubmitterSeen(ExecutorService wrapped) throws Exception {
    List<Future<Optional<AccessToken>>> ofAlice = new ArrayList<>();
    List<Future<Optional<AccessToken>>> ofBob = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      try (Scope scope = baton.bindRequest(alice)) {
        ofAlice.add(wrapped.submit(Baton::currentToken));
      }
      try (Scope scope = baton.bindRequest(bob)) {
        ofBob.add(wrapped.submit(Baton::currentToken));
      }
    }
    for (Future<Optional<AccessToken>> f : ofAlice) {
      assertThat(f.get()).contains(alice);
    }
    for (Future<Optional<AccessToken>> f : ofBob) {
      assertThat(f.get()).contains(bob);
    }
  }
}
