package dev.baton;

import static dev.baton.CallerFutureEveryMethodTest.token;
import static dev.baton.CallerFutureEveryMethodTest.who;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link CallerBinding#wrapBiConsumer}: the wrapper for {@code whenComplete} and friends. */
@SuppressWarnings("try")
class CallerBindingBiConsumerTest {
  private final Baton baton = Baton.builder().build();

  @AfterEach
  void threadIsClean() {
    assertThat(Baton.isBound()).isFalse();
  }

  private CallerBinding bobs() {
    try (Scope request = baton.bindRequest(token("bob"))) {
      return CallerBinding.capture();
    }
  }

  @Test
  void wrapBiConsumer_onAThreadBoundToAlice_acceptsAsBob_thenTheThreadIsAlicesAgain() {
    AtomicReference<String> seen = new AtomicReference<>();
    BiConsumer<String, String> wrapped = bobs().wrapBiConsumer((x, y) -> seen.set(x + y + who()));

    try (Scope request = baton.bindRequest(token("alice"))) {
      wrapped.accept("<", ">");
      assertThat(who()).isEqualTo("alice");
    }

    assertThat(seen.get()).isEqualTo("<>bob");
  }

  @Test
  void wrapBiConsumer_whenTheConsumerThrows_rethrows_andRestoresTheThread() {
    BiConsumer<String, String> wrapped = bobs().wrapBiConsumer((x, y) -> {
      throw new IllegalStateException("bob's consumer failed");
    });

    try (Scope request = baton.bindRequest(token("alice"))) {
      assertThatThrownBy(() -> wrapped.accept("a", "b"))
          .isInstanceOf(IllegalStateException.class);
      assertThat(who()).isEqualTo("alice");
    }
  }

  @Test
  void wrapBiConsumer_ofNone_hidesTheThreadsCaller() {
    AtomicReference<String> seen = new AtomicReference<>();

    try (Scope request = baton.bindRequest(token("alice"))) {
      CallerBinding.none().wrapBiConsumer((String x, String y) -> seen.set(who())).accept("a", "b");
    }

    assertThat(seen.get()).isEqualTo("nobody");
  }

  @Test
  void wrapBiConsumer_inWhenCompleteOnAPlainFuture_runsAsTheWrapper() {
    CompletableFuture<String> future = new CompletableFuture<>();
    AtomicReference<String> seen = new AtomicReference<>();
    future.whenComplete(bobs().wrapBiConsumer((r, e) -> seen.set(who())));

    try (Scope request = baton.bindRequest(token("alice"))) {
      future.complete("alice's");
    }

    assertThat(seen.get()).isEqualTo("bob");
  }

  @Test
  void wrapBiConsumer_null_throwsNullPointerException() {
    assertThatThrownBy(() -> CallerBinding.none().wrapBiConsumer(null))
        .isInstanceOf(NullPointerException.class).hasMessage("consumer");
  }
}
