package dev.baton;

import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal thread-safe store that ignores TTLs: only for the scope and thread-local mechanics in
 * this module's unit tests. Store behaviour is tested against the real memory store in
 * {@code baton-store-memory}.
 */
final class MapStore implements TokenSnapshotStore {
  final Map<TaskKey, TokenSnapshot> entries = new ConcurrentHashMap<>();

  @Override
  public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(ttl, "ttl");
    entries.put(key, snapshot);
  }

  @Override
  public Optional<TokenSnapshot> load(TaskKey key) {
    return Optional.ofNullable(entries.get(key));
  }

  @Override
  public boolean delete(TaskKey key) {
    return entries.remove(key) != null;
  }

  @Override
  public void close() {
    entries.clear();
  }
}
