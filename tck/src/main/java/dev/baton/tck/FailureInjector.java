package dev.baton.tck;

import dev.baton.store.TokenSnapshotStore;

/**
 * Makes a store's backend fail, so the kit can check that failures surface as
 * {@link dev.baton.store.TokenStoreException} instead of empty results. Optional: returned by
 * {@link TokenSnapshotStoreVerification#failureInjection()}; without it those checks are skipped.
 *
 * <p>Only the backend must fail, the way it fails in production: stop the server, drop the
 * connection, make the database refuse queries. Don't make the store itself throw; that would test
 * nothing. A store with no backend to lose (an in-memory map) has nothing to inject.
 */
@FunctionalInterface
public interface FailureInjector {

  /**
   * Starts an outage of {@code store}'s backend: until the returned outage is closed, every
   * operation that reaches the backend fails. Closing it brings the backend back; the store may
   * take a moment to reconnect (the kit retries for up to {@code baton.tck.timeout}). Data stored
   * before the outage may be lost.
   *
   * @param store a store that this verification's factory created
   * @throws Exception if the outage cannot be started; the check then errors
   */
  Outage begin(TokenSnapshotStore store) throws Exception;

  /**
   * A running outage ({@code dev.baton.tck.FailureInjector.Outage}); {@link #close()} ends it. A
   * lambda or method reference will do: {@code return server::start;}.
   */
  @FunctionalInterface
  interface Outage extends AutoCloseable {
    /**
     * Brings the backend back. Declares no checked exception (unlike {@link AutoCloseable}): wrap
     * any in an unchecked one; the check then errors, since the kit cannot go on without the
     * backend.
     */
    @Override
    void close();
  }
}
