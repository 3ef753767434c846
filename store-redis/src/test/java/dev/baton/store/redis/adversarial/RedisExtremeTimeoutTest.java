package dev.baton.store.redis.adversarial;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.redis.RedisTokenSnapshotStore;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * A command timeout too long for the arithmetic underneath (Netty's connect timeout is an int of
 * milliseconds; deadlines are nanoTime sums) is refused up front with a clear message, never an
 * {@link ArithmeticException} or a negative timeout at connect or close time. Port 1 on loopback:
 * nothing listens, so only a refusal before connecting passes.
 */
class RedisExtremeTimeoutTest {
  @Test
  void builder_foreverCommandTimeout_isRefusedClearly() {
    assertThatThrownBy(() -> RedisTokenSnapshotStore.builder()
        .commandTimeout(ChronoUnit.FOREVER.getDuration()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commandTimeout");
  }

  @Test
  void uri_hugeCommandTimeout_isRefusedClearly() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create(
        "redis://127.0.0.1:1?sealing=none&commandTimeout=PT100000000000000H")).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commandTimeout");
  }
}
