/**
 * The Redis store: {@link dev.baton.store.redis.RedisTokenSnapshotStore}, opened directly or as
 * {@code redis://}, {@code rediss://} or {@code redis-cluster://} through
 * {@link dev.baton.store.TokenSnapshotStores#open(java.net.URI)}.
 */
@NullMarked
package dev.baton.store.redis;

import org.jspecify.annotations.NullMarked;
