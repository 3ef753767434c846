/**
 * Baton core: lets a background task act as the caller who submitted it.
 *
 * <p>{@code dev.baton} is the API applications use; {@code dev.baton.store} is the SPI that store
 * modules implement; {@code dev.baton.codec} turns snapshots into bytes for stores that serialize.
 * {@code dev.baton.internal} (not exported) carries Baton's own trusted route between those.
 */
module dev.baton.core {
  requires static transitive org.jspecify;
  requires com.fasterxml.jackson.core;
  requires static com.google.crypto.tink; // only SealingSnapshotCodec; see core/pom.xml

  exports dev.baton;
  exports dev.baton.store;
  exports dev.baton.codec;

  uses dev.baton.store.TokenSnapshotStoreProvider;
}
