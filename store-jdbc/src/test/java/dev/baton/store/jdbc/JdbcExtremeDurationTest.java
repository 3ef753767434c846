package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Adversarial: durations too long to convert ({@code PT100000000000000H} is valid ISO-8601, and
 * more nanoseconds than a long holds) saturate, as Baton's own leeway and TTL do; they never throw
 * {@link ArithmeticException} from the URI parser or from a store that has already connected.
 */
class JdbcExtremeDurationTest {
  private static final String HUGE = "PT100000000000000H";
  private final TestDatabase db = TestDatabase.get();

  @Test
  void open_hugePurgeIntervalAndConnectionTimeout_saturate() {
    URI uri = URI.create(db.jdbcUrl() + "&sealing=none&table=baton_extreme&purgeInterval=" + HUGE
        + "&connectionTimeout=" + HUGE + "&queryTimeout=" + HUGE);
    try (TokenSnapshotStore store = TokenSnapshotStores.open(uri)) {
      TaskKey key = Samples.key("extreme");
      store.save(key, Samples.snapshotOf("extreme"), Duration.ofMinutes(1));
      assertThat(store.load(key)).isPresent();
    }
  }

  @Test
  void builder_foreverPurgeInterval_saturates() {
    try (TokenSnapshotStore store = JdbcTokenSnapshotStore.builder()
        .dataSource(db.pool()).withoutSealing().table("baton_forever")
        .purgeInterval(java.time.temporal.ChronoUnit.FOREVER.getDuration())
        .queryTimeout(java.time.temporal.ChronoUnit.FOREVER.getDuration()).build()) {
      TaskKey key = Samples.key("forever");
      store.save(key, Samples.snapshotOf("forever"), Duration.ofMinutes(1));
      assertThat(store.load(key)).isPresent();
    }
  }
}
