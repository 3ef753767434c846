package dev.baton.store.redis;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;

/** Each operation of {@link TokenSnapshotStore}, for tests that must hold for all of them. */
enum StoreOperation {
  SAVE {
    @Override
    Object apply(TokenSnapshotStore store, TaskKey key, TokenSnapshot snapshot) {
      store.save(key, snapshot, Duration.ofMinutes(5));
      return "saved";
    }
  },
  LOAD {
    @Override
    Object apply(TokenSnapshotStore store, TaskKey key, TokenSnapshot snapshot) {
      return store.load(key);
    }
  },
  DELETE {
    @Override
    Object apply(TokenSnapshotStore store, TaskKey key, TokenSnapshot snapshot) {
      return store.delete(key);
    }
  },
  TOUCH {
    @Override
    Object apply(TokenSnapshotStore store, TaskKey key, TokenSnapshot snapshot) {
      return store.touch(key, Duration.ofMinutes(5));
    }
  },
  TAKE {
    @Override
    Object apply(TokenSnapshotStore store, TaskKey key, TokenSnapshot snapshot) {
      return store.take(key);
    }
  };

  /** Runs this operation on {@code key}; {@code snapshot} is what {@link #SAVE} writes. */
  abstract Object apply(TokenSnapshotStore store, TaskKey key, TokenSnapshot snapshot);
}
