package dev.baton.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/** Store operations as {@value BatonMetrics#STORE_OPERATION} observations. */
final class ObservedOperations implements OperationRecorder {
  private final ObservationRegistry registry;

  ObservedOperations(ObservationRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <T> T record(String name, String store, Supplier<T> operation,
      Function<T, String> outcome) {
    Observation observation = started(name, store);
    try (Observation.Scope scope = observation.openScope()) {
      T result = operation.get();
      observation.lowCardinalityKeyValue("outcome", outcome.apply(result));
      return result;
    } catch (RuntimeException | Error e) {
      failed(observation, e);
      throw e;
    } finally {
      observation.stop();
    }
  }

  @Override
  public CompletionStage<Void> recordAsync(String name, String store,
      Supplier<CompletionStage<Void>> operation) {
    Observation observation = started(name, store);
    CompletionStage<Void> stage;
    try (Observation.Scope scope = observation.openScope()) {
      stage = operation.get();
    } catch (RuntimeException | Error e) {
      failed(observation, e);
      observation.stop();
      throw e;
    }
    stage.whenComplete((done, error) -> {
      if (error == null) {
        observation.lowCardinalityKeyValue("outcome", "success");
      } else {
        failed(observation, OperationRecorder.cause(error));
      }
      observation.stop();
    });
    return stage;
  }

  private Observation started(String name, String store) {
    return Observation.createNotStarted(BatonMetrics.STORE_OPERATION, registry)
        .contextualName("baton.store " + name)
        .lowCardinalityKeyValue("operation", name)
        .lowCardinalityKeyValue("store", store)
        .start();
  }

  private static void failed(Observation observation, Throwable error) {
    observation.lowCardinalityKeyValue("outcome", "error");
    observation.error(error);
  }
}
