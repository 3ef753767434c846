/** A {@link dev.baton.store.TokenSnapshotStore} on Redis, standalone or Cluster, via Lettuce. */
module dev.baton.store.redis {
  requires transitive dev.baton.core;
  requires lettuce.core;
  requires com.google.crypto.tink; // resolves core's optional sealing dependency
  // lettuce-core is an automatic module and declares no dependencies: name Netty's modules so
  // they resolve on the module path.
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.resolver.dns;
  requires static transitive org.jspecify;

  exports dev.baton.store.redis;

  provides dev.baton.store.TokenSnapshotStoreProvider with
      dev.baton.store.redis.RedisStoreProvider;
}
