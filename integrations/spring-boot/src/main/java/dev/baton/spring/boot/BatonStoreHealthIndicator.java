package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import java.net.URI;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether Baton's store answers: up when a read of a key that is never written returns, down when
 * it throws; up with {@code store: none} for a Baton without a store (in-process only). Details: {@code store} (the store's type) and, when the store was opened from
 * {@code baton.store}, {@code sealed} (whether tokens are encrypted at rest). Never a secret: not the
 * URI, not the exception's message (it may name a host or a user), only the exception's type.
 * Thread-safe.
 */
public final class BatonStoreHealthIndicator implements HealthIndicator {
  private static final TaskKey PROBE = new TaskKey("baton-health", "probe");

  private final @Nullable TokenSnapshotStore store;
  private final @Nullable URI configuredUri;

  /**
   * Creates the indicator.
   *
   * @param baton the Baton whose store is probed
   * @param configuredUri the URI the store was opened from, or {@code null} when the application
   *     supplied the store
   * @throws NullPointerException if {@code baton} is null
   */
  public BatonStoreHealthIndicator(Baton baton, @Nullable URI configuredUri) {
    this.store = Objects.requireNonNull(baton, "baton").store().orElse(null);
    this.configuredUri = configuredUri;
  }

  /**
   * Creates the indicator for the store opened from {@code baton.store}. It is probed directly,
   * not through the Baton's (possibly timed) view of it, so health checks never show in Baton's
   * store metrics.
   *
   * @param store the store opened from {@code configuredUri}
   * @param configuredUri the URI the store was opened from
   * @throws NullPointerException if an argument is null
   */
  public BatonStoreHealthIndicator(TokenSnapshotStore store, URI configuredUri) {
    this.store = Objects.requireNonNull(store, "store");
    this.configuredUri = Objects.requireNonNull(configuredUri, "configuredUri");
  }

  @Override
  public Health health() {
    TokenSnapshotStore store = this.store;
    if (store == null) {
      return Health.up().withDetail("store", "none").build();
    }
    Health.Builder health;
    try {
      store.load(PROBE);
      health = Health.up();
    } catch (RuntimeException e) {
      health = Health.down().withDetail("error", e.getClass().getName());
    }
    health.withDetail("store", store.getClass().getSimpleName());
    if (configuredUri != null) {
      health.withDetail("sealed", isSealed(configuredUri));
    }
    return health.build();
  }

  /**
   * Whether the URI has a {@code sealingKeys} parameter. Read from the scheme-specific part, as
   * {@code memory:local?…} is an opaque URI with no query of its own to {@link URI#getRawQuery()}.
   */
  private static boolean isSealed(URI uri) {
    String part = uri.getRawSchemeSpecificPart();
    int question = part.indexOf('?');
    return question >= 0
        && Arrays.stream(part.substring(question + 1).split("&"))
            .map(parameter -> parameter.split("=", 2)[0])
            .anyMatch("sealingKeys"::equals);
  }
}
