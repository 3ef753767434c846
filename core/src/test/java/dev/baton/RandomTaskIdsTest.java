package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RandomTaskIdsTest {
  @Test
  void next_isAVersion4UuidOfTheIetfVariant_inItsCanonicalText() {
    String id = RandomTaskIds.next();
    UUID uuid = UUID.fromString(id);

    assertThat(uuid.version()).isEqualTo(4);
    assertThat(uuid.variant()).isEqualTo(2);
    assertThat(uuid.toString()).isEqualTo(id);
  }

  @Test
  void next_overManyBufferRefills_neverRepeats() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 20_000; i++) { // 625 refills of a 32-id buffer
      ids.add(RandomTaskIds.next());
    }
    assertThat(ids).hasSize(20_000);
  }

  @Test
  void next_everyRandomBit_takesBothValues() {
    // Catches ids made from cleared or constant bytes (e.g. read after the buffer is wiped): each
    // of the 122 random bits is 0 in some of 4,000 ids and 1 in others (a false alarm has odds
    // of about 122 / 2^3999).
    long highOr = 0;
    long highAnd = -1;
    long lowOr = 0;
    long lowAnd = -1;
    for (int i = 0; i < 4_000; i++) {
      UUID uuid = UUID.fromString(RandomTaskIds.next());
      highOr |= uuid.getMostSignificantBits();
      highAnd &= uuid.getMostSignificantBits();
      lowOr |= uuid.getLeastSignificantBits();
      lowAnd &= uuid.getLeastSignificantBits();
    }
    long versionBits = 0xF000L;
    long variantBits = 0xC000000000000000L;
    assertThat(highOr | versionBits).isEqualTo(-1L);
    assertThat(highAnd & ~versionBits).isZero();
    assertThat(lowOr | variantBits).isEqualTo(-1L);
    assertThat(lowAnd & ~variantBits).isZero();
  }

  @Test
  void next_fromManyThreadsAtOnce_neverRepeats() throws InterruptedException {
    int threads = 8;
    int perThread = 5_000;
    Set<String> ids = ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perThread; i++) {
          ids.add(RandomTaskIds.next());
        }
      });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(ids).hasSize(threads * perThread);
  }

  @Test
  void taskKeyRandom_usesThemAsTaskIds() {
    TaskKey key = TaskKey.random(null);

    assertThat(key.scope()).isEqualTo(TaskKey.ANONYMOUS_SCOPE);
    assertThat(UUID.fromString(key.taskId()).version()).isEqualTo(4);
  }
}
