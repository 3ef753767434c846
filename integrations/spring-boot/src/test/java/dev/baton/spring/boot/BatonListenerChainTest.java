package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import dev.baton.TaskKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BatonListenerChainTest {
  private static final BatonEvent EVENT =
      new BatonEvent(BatonEvent.Type.CAPTURED, new TaskKey("scope", "task"), null);

  @Test
  void listenerThatThrows_doesNotKeepTheNextFromTheEvent() {
    List<BatonEvent> seen = new CopyOnWriteArrayList<>();
    BatonListener failing =
        event -> {
          throw new IllegalStateException("audit log down");
        };
    var chain = new BatonListenerChain(List.of(failing, seen::add));

    assertThatThrownBy(() -> chain.onEvent(EVENT)).hasMessage("audit log down");
    assertThat(seen).containsExactly(EVENT);
  }
}
