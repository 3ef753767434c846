package dev.baton.store.redis;

import dev.baton.store.TokenSnapshotStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The stores a TCK class created, so that it can close any the kit left open before the class's
 * Redis goes away (otherwise their clients would keep reconnecting to a dead port for the rest of
 * the run). Closing a store twice is harmless, so this closes every tracked store. Thread-safe.
 */
final class OpenStores {
  private final List<TokenSnapshotStore> stores = new ArrayList<>();

  synchronized <S extends TokenSnapshotStore> S track(S store) {
    stores.add(store);
    return store;
  }

  synchronized void closeAll() {
    for (TokenSnapshotStore store : stores) {
      store.close();
    }
    stores.clear();
  }
}
