package dev.baton.store.redis.adversarial;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.store.TokenSnapshotStores;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lettuce's {@code database} and {@code db} are one setting, and so is the URI's {@code /N} path:
 * giving it twice must be refused like any duplicated parameter, before connecting (port 1 on
 * loopback: nothing listens there, so a refusal that mentions connecting means the check came too
 * late), rather than letting Lettuce silently pick one of the databases.
 */
class RedisUriConflictTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "redis://127.0.0.1:1?sealing=none&db=1&database=2",
      "redis://127.0.0.1:1?database=2&sealing=none&db=2",
      "redis://127.0.0.1:1/3?sealing=none&db=5",
      "redis://127.0.0.1:1/3?sealing=none&database=3",
      "rediss://127.0.0.1:1/0?database=1&sealing=none"})
  void open_databaseGivenTwice_isRefusedBeforeConnecting(String uri) {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create(uri)).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database")
        .hasMessageContaining("once");
  }
}
