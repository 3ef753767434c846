package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class BatonHealthAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(BatonAutoConfiguration.class, BatonHealthAutoConfiguration.class));

  @Test
  void memoryStore_isUpAndNotSealed() {
    runner.run(
        context -> {
          Health health = context.getBean(BatonStoreHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails())
              .containsEntry("store", "MemoryTokenSnapshotStore")
              .containsEntry("sealed", false);
        });
  }

  @Test
  void sealedStoreUri_reportsSealedWithoutTheKeyReference(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("baton-keys");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.writeString(keys, "k1:" + Base64.getEncoder().encodeToString(key));

    runner
        .withPropertyValues("baton.store=memory:local?sealingKeys=file:" + keys)
        .run(
            context -> {
              Health health = context.getBean(BatonStoreHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsEntry("sealed", true);
              assertThat(health.getDetails().toString()).doesNotContain(keys.toString());
            });
  }

  @Test
  void failingStore_isDownWithTheExceptionTypeOnly() {
    TokenSnapshotStore broken = new UnreachableStore();
    runner
        .withBean(TokenSnapshotStore.class, () -> broken)
        .run(
            context -> {
              Health health = context.getBean(BatonStoreHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails())
                  .containsEntry("error", TokenStoreException.class.getName())
                  .containsEntry("store", "UnreachableStore")
                  .doesNotContainKey("sealed");
              assertThat(health.getDetails().toString()).doesNotContain("10.0.0.7");
            });
  }

  @Test
  void batonWithoutStore_isUpWithNoStore() {
    runner
        .withBean(Baton.class, () -> Baton.builder().build())
        .run(
            context ->
                assertThat(context.getBean(BatonStoreHealthIndicator.class).health().getDetails())
                    .containsEntry("store", "none"));
  }

  @Test
  void healthIndicator_disabledByProperty_isAbsent() {
    runner
        .withPropertyValues("management.health.baton.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(BatonStoreHealthIndicator.class));
  }

  /** A store whose backend does not answer, as a real client reports it. */
  static final class UnreachableStore implements TokenSnapshotStore {
    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      throw unreachable();
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      throw unreachable();
    }

    @Override
    public boolean delete(TaskKey key) {
      throw unreachable();
    }

    @Override
    public void close() {}

    private static TokenStoreException unreachable() {
      return new TokenStoreException("cannot reach 10.0.0.7:6379");
    }
  }
}
