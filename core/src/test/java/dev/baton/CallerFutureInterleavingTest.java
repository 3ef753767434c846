package dev.baton;

import static dev.baton.CallerFutureEveryMethodTest.token;
import static dev.baton.CallerFutureEveryMethodTest.who;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Alice and Bob attach continuations to each other's pending {@link CallerFuture}s while each
 * completes their own, 10,000 rounds at once: whichever thread a continuation runs on (its
 * attacher's, the other caller's, a pool's), it runs as its attacher, and every thread is clean
 * afterwards.
 */
@SuppressWarnings("try")
class CallerFutureInterleavingTest {
  private static final int ROUNDS = 10_000;

  private final Baton baton = Baton.builder().build();
  private final LeakCheckingPool pool = new LeakCheckingPool(2);
  private final Executor wrappedPool = baton.wrap((Executor) pool);
  private final List<String> wrong = new CopyOnWriteArrayList<>();

  @AfterEach
  void poolIsClean() throws Exception {
    pool.stop();
    assertThat(pool.leaks()).as("pool threads left bound").isEmpty();
    assertThat(Baton.isBound()).isFalse();
  }

  /** One caller's side: their own futures, and the continuations they attach to the other's. */
  private final class Side implements Runnable {
    final String name;
    final List<CallerFuture<String>> own = new ArrayList<>();
    final AtomicReferenceArray<CompletableFuture<String>> attached =
        new AtomicReferenceArray<>(ROUNDS);
    Side other;
    final CountDownLatch start;
    volatile boolean boundAfterwards = true;

    Side(String name, CountDownLatch start) {
      this.name = name;
      this.start = start;
      for (int i = 0; i < ROUNDS; i++) {
        own.add(new CallerFuture<>());
      }
    }

    @Override
    public void run() {
      try {
        start.await();
        try (Scope request = baton.bindRequest(token(name))) {
          for (int i = 0; i < ROUNDS; i++) {
            attached.set(i, attach(i, other.own.get(i), own.get(i)));
            own.get(i).complete(name + " " + i);
            if (!who().equals(name)) {
              wrong.add(name + "'s own thread acted as " + who() + " after round " + i);
            }
          }
        }
        boundAfterwards = Baton.isBound();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        wrong.add(name + " interrupted");
      } catch (RuntimeException | AssertionError e) {
        wrong.add(name + " failed: " + e);
      }
    }

    /** One of eight ways to attach, each answering who the continuation ran as. */
    private CompletableFuture<String> attach(
        int round, CallerFuture<String> theirs, CallerFuture<String> mine) {
      switch (round % 8) {
        case 0:
          return theirs.thenApply(r -> who());
        case 1:
          return theirs.thenApplyAsync(r -> who(), pool);
        case 2:
          return theirs.thenApplyAsync(r -> who(), wrappedPool);
        case 3:
          return theirs.handle((r, e) -> who());
        case 4:
          return theirs.handleAsync((r, e) -> who(), wrappedPool);
        case 5:
          return theirs.thenCombine(mine, (r, m) -> who());
        case 6:
          return theirs.applyToEitherAsync(mine, r -> who(), wrappedPool);
        default:
          return theirs.thenCompose(r -> CompletableFuture.completedFuture(who()));
      }
    }
  }

  @Test
  void aliceAndBob_attachingToEachOthersPendingFutures_10000Rounds_eachRunsAsItsAttacher()
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    Side alice = new Side("alice", start);
    Side bob = new Side("bob", start);
    alice.other = bob;
    bob.other = alice;
    Thread alicesThread = new Thread(alice, "alice");
    Thread bobsThread = new Thread(bob, "bob");
    alicesThread.start();
    bobsThread.start();

    start.countDown();
    alicesThread.join(TimeUnit.MINUTES.toMillis(5));
    bobsThread.join(TimeUnit.MINUTES.toMillis(5));

    assertThat(alicesThread.isAlive() || bobsThread.isAlive()).as("both sides finished").isFalse();
    for (Side side : List.of(alice, bob)) {
      for (int i = 0; i < ROUNDS; i++) {
        String ranAs = side.attached.get(i).get(30, TimeUnit.SECONDS);
        if (!ranAs.equals(side.name)) {
          wrong.add(side.name + "'s continuation " + i + " ran as " + ranAs);
        }
      }
      assertThat(side.boundAfterwards).as("%s's thread left bound", side.name).isFalse();
    }
    assertThat(wrong.size())
        .as("wrong identities (first ones: %s)", wrong.subList(0, Math.min(20, wrong.size())))
        .isZero();
  }
}
