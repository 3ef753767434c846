package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatonObservationsTest {
  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final MemoryTokenSnapshotStore memory = MemoryTokenSnapshotStore.create();
  private final Baton baton = BatonMetrics.of(registry)
      .instrument(Baton.builder().clock(new Callers.MutableClock()), memory).build();
  private final AccessToken alice = Callers.token("alice");

  BatonObservationsTest() {
    registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
      @Override
      public void onEvent(Observation.Event event, Observation.Context context) {
        events.add(context.getName() + ":" + event.getName());
      }

      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }
    });
  }

  @AfterEach
  void close() {
    memory.close();
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void saveAsync_isObservedUntilItsStageCompletes() {
    TestObservationRegistry own = TestObservationRegistry.create();
    List<String> stops = new CopyOnWriteArrayList<>();
    own.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
      @Override
      public void onStop(Observation.Context context) {
        String outcome = context.getLowCardinalityKeyValue("outcome").getValue();
        stops.add(context.getContextualName() + " " + outcome);
      }

      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }
    });
    BatonMetricsTest.AsyncOnlyStore async = new BatonMetricsTest.AsyncOnlyStore();
    TokenSnapshotStore observed = BatonMetrics.of(own).store(async);
    observed.saveAsync(TaskKey.random(alice), TokenSnapshot.of(alice, Instant.EPOCH),
        Duration.ofMinutes(1));
    assertThat(stops).isEmpty();

    async.pending.get(0).complete(null);
    assertThat(stops).containsExactly("baton.store save success");
    TestObservationRegistryAssert.assertThat(own)
        .hasObservationWithNameEqualTo(BatonMetrics.STORE_OPERATION)
        .that().hasLowCardinalityKeyValue("store", "AsyncOnlyStore");
  }

  @Test
  void taskRunInsideAnObservation_showsTheRestoreInsideIt() {
    TaskKey key;
    try (Scope scope = baton.bindRequest(alice)) {
      key = baton.capture();
    }
    Observation task = Observation.start("task", registry);
    try (Observation.Scope scope = task.openScope()) {
      baton.run(key, () -> assertThat(Baton.currentToken()).contains(alice));
    } finally {
      task.stop();
    }
    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(BatonMetrics.STORE_OPERATION, 3)
        .hasObservationWithNameEqualTo(BatonMetrics.STORE_OPERATION)
        .that().hasContextualNameEqualTo("baton.store save")
        .hasLowCardinalityKeyValue("outcome", "success")
        .hasLowCardinalityKeyValue("store", "MemoryTokenSnapshotStore");
    TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts ->
        assertThat(contexts).filteredOn(c -> "baton.store load".equals(c.getContextualName()))
            .singleElement()
            .satisfies(c -> {
              assertThat(c.getParentObservation()).isSameAs(task);
              assertThat(c.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("found");
              assertThat(c.getLowCardinalityKeyValue("operation").getValue()).isEqualTo("load");
            }));
    assertThat(events).contains("task:baton.restored", "task:baton.deleted");
  }

  @Test
  void failedLoad_isAnObservationWithTheError() {
    memory.close();
    assertThatThrownBy(() -> baton.run(TaskKey.random(alice), () -> { }))
        .isInstanceOf(RuntimeException.class);
    TestObservationRegistryAssert.assertThat(registry)
        .hasObservationWithNameEqualTo(BatonMetrics.STORE_OPERATION)
        .that().hasLowCardinalityKeyValue("operation", "load")
        .hasLowCardinalityKeyValue("outcome", "error")
        .hasError();
  }
}
