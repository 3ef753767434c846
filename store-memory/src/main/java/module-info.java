/** A {@link dev.baton.store.TokenSnapshotStore} in the JVM's memory, on Caffeine. */
module dev.baton.store.memory {
  requires transitive dev.baton.core;
  requires transitive com.github.benmanes.caffeine;
  requires static transitive org.jspecify;

  exports dev.baton.store.memory;

  provides dev.baton.store.TokenSnapshotStoreProvider with
      dev.baton.store.memory.MemoryStoreProvider;
}
