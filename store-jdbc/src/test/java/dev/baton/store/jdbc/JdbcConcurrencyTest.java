package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads on a pool smaller than their number: waits, never crossed or duplicated results. */
class JdbcConcurrencyTest {
  private static final int THREADS = 16;
  private static final int POOL = 3;

  @Test
  void threadsOnDistinctKeys_throughASmallPool_eachSeeOnlyTheirOwnSnapshot() throws Exception {
    try (HikariDataSource pool = TestDatabase.get().newPool(POOL);
        JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(pool)
            .sealingKeys(Samples.KEYS).build()) {
      List<Optional<String>> wrong = race(i -> {
        TaskKey key = Samples.key("distinct-" + i);
        TokenSnapshot mine = Samples.snapshotOf("caller" + i);
        for (int round = 0; round < 20; round++) {
          store.save(key, mine, Duration.ofMinutes(1));
          if (!store.load(key).equals(Optional.of(mine))) {
            return Optional.of("thread " + i + " loaded another snapshot in round " + round);
          }
          store.touch(key, Duration.ofMinutes(2));
          if (!store.take(key).equals(Optional.of(mine))) {
            return Optional.of("thread " + i + " took another snapshot in round " + round);
          }
        }
        return Optional.empty();
      });
      assertThat(wrong).allSatisfy(w -> assertThat(w).isEmpty());
    }
  }

  @Test
  void concurrentTakers_throughASmallPool_exactlyOneWinsEachRound() throws Exception {
    try (HikariDataSource pool = TestDatabase.get().newPool(POOL);
        JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(pool)
            .sealingKeys(Samples.KEYS).build()) {
      for (int round = 0; round < 10; round++) {
        TaskKey key = Samples.key("contested");
        TokenSnapshot snapshot = Samples.snapshotOf("owner");
        store.save(key, snapshot, Duration.ofMinutes(1));
        AtomicInteger winners = new AtomicInteger();
        List<Optional<String>> wrong = race(i -> {
          Optional<TokenSnapshot> taken = store.take(key);
          if (taken.isPresent()) {
            winners.incrementAndGet();
            return taken.get().equals(snapshot) ? Optional.empty()
                : Optional.of("took another snapshot");
          }
          return Optional.empty();
        });
        assertThat(wrong).allSatisfy(w -> assertThat(w).isEmpty());
        assertThat(winners).as("round " + round).hasValue(1);
      }
    }
  }

  @FunctionalInterface
  private interface Worker {
    Optional<String> run(int index) throws Exception;
  }

  /** Starts {@link #THREADS} workers together on a latch and collects their complaints. */
  private static List<Optional<String>> race(Worker worker) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch ready = new CountDownLatch(THREADS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Optional<String>>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        int index = i;
        futures.add(threads.submit(() -> {
          ready.countDown();
          go.await();
          return worker.run(index);
        }));
      }
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<Optional<String>> results = new ArrayList<>();
      for (Future<Optional<String>> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      threads.shutdownNow();
    }
  }
}
