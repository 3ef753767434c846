package dev.baton.spring.boot;

import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import java.util.List;

/**
 * Every {@link BatonListener} bean of the application, as the one listener a {@code Baton} takes,
 * called in order. A listener that throws does not keep the later ones from the event: the first
 * exception is rethrown once all have run (with the others suppressed), so Baton logs it as it
 * logs any listener's. An {@link Error} propagates at once, as Baton's listener contract says.
 * Thread-safe when the listeners are.
 */
final class BatonListenerChain implements BatonListener {
  private final List<BatonListener> listeners;

  BatonListenerChain(List<BatonListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void onEvent(BatonEvent event) {
    RuntimeException first = null;
    for (BatonListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "BatonListenerChain" + listeners;
  }
}
