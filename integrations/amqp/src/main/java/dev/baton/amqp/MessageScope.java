package dev.baton.amqp;

import dev.baton.Scope;

/**
 * The caller of one delivered message, installed on the consuming thread by
 * {@link BatonAmqp#enter(Object)} until closed: the publisher's caller, or an explicit "no caller".
 *
 * <p>Closing restores the thread exactly and, when a snapshot was restored, applies the Baton's
 * {@link dev.baton.CleanupPolicy}. Not thread-safe: close it on the thread that opened it.
 */
public interface MessageScope extends Scope {
  /**
   * Records that the listener completed normally, for {@link dev.baton.CleanupPolicy#DELETE_ON_SUCCESS}
   * (call it before {@link #close()}).
   */
  void markSucceeded();
}
