/** A {@link dev.baton.store.TokenSnapshotStore} on PostgreSQL through plain JDBC. */
module dev.baton.store.jdbc {
  requires transitive dev.baton.core;
  requires transitive java.sql;
  requires com.zaxxer.hikari;
  // Sealing, on by default for a network store.
  requires com.google.crypto.tink;
  // Loaded by the pool by class name: resolve it with this module.
  requires org.postgresql.jdbc;
  requires static transitive org.jspecify;

  exports dev.baton.store.jdbc;

  provides dev.baton.store.TokenSnapshotStoreProvider with
      dev.baton.store.jdbc.PostgresStoreProvider;
}
