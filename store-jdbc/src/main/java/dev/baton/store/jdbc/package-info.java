/**
 * The JDBC store: {@link dev.baton.store.jdbc.JdbcTokenSnapshotStore} on PostgreSQL, built over a
 * {@link javax.sql.DataSource} or opened as {@code jdbc:postgresql://...} or
 * {@code postgresql://...} through {@link dev.baton.store.TokenSnapshotStores#open(java.net.URI)}.
 */
@NullMarked
package dev.baton.store.jdbc;

import org.jspecify.annotations.NullMarked;
