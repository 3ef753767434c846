package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatonBuilderTest {

  @Test
  void build_withoutStore_buildsAnInProcessBaton() {
    assertThat(Baton.builder().build().store()).isEmpty();
  }

  @Test
  void store_null_throwsNpeNamingStore() {
    assertThatNullPointerException().isThrownBy(() -> Baton.builder().store(null))
        .withMessage("store");
  }

  @Test
  void clock_null_throwsNpeNamingClock() {
    assertThatNullPointerException().isThrownBy(() -> Baton.builder().clock(null))
        .withMessage("clock");
  }

  @Test
  void leeway_negative_throwsNamingLeeway() {
    assertThatThrownBy(() -> Baton.builder().leeway(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leeway");
  }

  @Test
  void leeway_null_throwsNpeNamingLeeway() {
    assertThatNullPointerException().isThrownBy(() -> Baton.builder().leeway(null))
        .withMessage("leeway");
  }

  @Test
  void snapshotTtl_zero_throwsNamingSnapshotTtl() {
    assertThatThrownBy(() -> Baton.builder().snapshotTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snapshotTtl");
  }

  @Test
  void snapshotTtl_negative_throwsNamingSnapshotTtl() {
    assertThatThrownBy(() -> Baton.builder().snapshotTtl(Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snapshotTtl");
  }

  @Test
  void snapshotTtl_null_throwsNpeNamingSnapshotTtl() {
    assertThatNullPointerException().isThrownBy(() -> Baton.builder().snapshotTtl(null))
        .withMessage("snapshotTtl");
  }

  @Test
  void policiesAndListener_null_throwNpeNamingTheParameter() {
    assertThatNullPointerException().isThrownBy(() -> Baton.builder().cleanupPolicy(null))
        .withMessage("cleanupPolicy");
    assertThatNullPointerException().isThrownBy(() -> Baton.builder().restoreFailurePolicy(null))
        .withMessage("restoreFailurePolicy");
    assertThatNullPointerException().isThrownBy(() -> Baton.builder().listener(null))
        .withMessage("listener");
  }

  @Test
  void lifespan_null_throwsNpeNamingLifespan() {
    assertThatNullPointerException().isThrownBy(() -> Baton.builder().lifespan(null))
        .withMessage("lifespan");
  }

  @Test
  void lifespan_isCopied() {
    Map<String, Object> services = new HashMap<>(Map.of("db", "primary"));
    Baton baton = Baton.builder().store(new MapStore()).lifespan(services).build();

    services.put("db", "replaced");

    assertThat(baton.lifespan()).containsExactly(Map.entry("db", "primary"));
  }

  @Test
  void lifespan_isUnmodifiable() {
    Baton baton = Baton.builder().store(new MapStore()).lifespan(Map.of("db", "primary")).build();

    assertThatThrownBy(() -> baton.lifespan().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void lifespan_defaultsToAnEmptyMap() {
    assertThat(Baton.builder().store(new MapStore()).build().lifespan()).isEmpty();
  }

  @Test
  void accessors_returnWhatWasConfigured() {
    MapStore store = new MapStore();
    MutableClock clock = new MutableClock(java.time.Instant.EPOCH);
    Baton baton = Baton.builder().store(store).clock(clock).build();

    assertThat(baton.store()).containsSame(store);
    assertThat(baton.clock()).isSameAs(clock);
  }

  @Test
  void wrap_nullDelegate_throwsNpeNamingDelegate() {
    Baton baton = Baton.builder().store(new MapStore()).build();

    assertThatNullPointerException()
        .isThrownBy(() -> baton.wrap((java.util.concurrent.ExecutorService) null))
        .withMessage("delegate");
    assertThatNullPointerException()
        .isThrownBy(() -> baton.wrap((java.util.concurrent.Executor) null))
        .withMessage("delegate");
  }
}
