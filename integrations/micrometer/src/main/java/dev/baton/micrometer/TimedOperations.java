package dev.baton.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/** Store operations as {@value BatonMetrics#STORE_OPERATION} timers. */
final class TimedOperations implements OperationRecorder {
  private final MeterRegistry registry;

  TimedOperations(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <T> T record(String name, String store, Supplier<T> operation,
      Function<T, String> outcome) {
    Timer.Sample sample = Timer.start(registry);
    T result;
    try {
      result = operation.get();
    } catch (RuntimeException | Error e) {
      sample.stop(failure(name, store, e));
      throw e;
    }
    sample.stop(timer(name, store, outcome.apply(result), "none"));
    return result;
  }

  @Override
  public CompletionStage<Void> recordAsync(String name, String store,
      Supplier<CompletionStage<Void>> operation) {
    Timer.Sample sample = Timer.start(registry);
    CompletionStage<Void> stage;
    try {
      stage = operation.get();
    } catch (RuntimeException | Error e) {
      sample.stop(failure(name, store, e));
      throw e;
    }
    stage.whenComplete((done, error) -> sample.stop(error == null
        ? timer(name, store, "success", "none")
        : failure(name, store, OperationRecorder.cause(error))));
    return stage;
  }

  private Timer failure(String name, String store, Throwable error) {
    return timer(name, store, "error", error.getClass().getSimpleName());
  }

  private Timer timer(String name, String store, String outcome, String error) {
    return Timer.builder(BatonMetrics.STORE_OPERATION)
        .description("Baton snapshot store operations")
        .tag("operation", name)
        .tag("outcome", outcome)
        .tag("store", store)
        .tag("error", error)
        .register(registry);
  }
}
