package dev.baton.micrometer;

import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import dev.baton.codec.SnapshotDecodeException;
import dev.baton.store.TokenSnapshotStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Binds Baton to Micrometer: counters of Baton's events, timers (or observations) of store
 * operations.
 *
 * <pre>{@code
 * Baton baton = BatonMetrics.of(meterRegistry).instrument(Baton.builder(), store).build();
 * }</pre>
 *
 * <p><b>Meters</b> ({@link #of(MeterRegistry)}):
 *
 * <ul>
 *   <li>{@value #EVENTS} (counter), tags {@code type}: every {@link BatonEvent.Type} in lower case
 *       ({@code captured}, {@code captured_anonymous}, {@code captured_expired}, {@code restored},
 *       {@code expired}, {@code missing}, {@code restore_failed}, {@code deleted},
 *       {@code cleanup_failed}, {@code binding_abandoned}); {@code reason}: {@code decode_failed} or {@code store_failed} for
 *       the two failure types, {@code none} otherwise. All combinations are registered up front, so
 *       they read zero before the first event.
 *   <li>{@value #STORE_OPERATION} (timer), tags {@code operation} ({@code save}, {@code load},
 *       {@code delete}, {@code touch}, {@code take}), {@code outcome} ({@code success} for save,
 *       {@code found} or {@code missing} for the others, {@code error} when it threw),
 *       {@code store} (the delegate's simple class name) and {@code error} (the exception's simple
 *       class name, or {@code none}).
 * </ul>
 *
 * <p><b>Observations</b> ({@link #of(ObservationRegistry)}): each store operation runs in an
 * observation named {@value #STORE_OPERATION} (contextual name {@code baton.store <operation>}) with
 * the low-cardinality keys {@code operation}, {@code store} and {@code outcome}, the child of
 * whatever observation is current, so a trace shows the restore's load inside the task's span; and
 * each Baton event is signalled as an {@link Observation.Event} named {@code baton.<type>} on the
 * current observation, if there is one.
 *
 * <p>Tags and names carry the task's outcome and the store's type only: never a key, subject or
 * token. Thread-safe; the listener and decorated stores it hands out are thread-safe too.
 */
public final class BatonMetrics {
  /** Name of the event counter. */
  public static final String EVENTS = "baton.events";
  /** Name of the store operation timer and observation. */
  public static final String STORE_OPERATION = "baton.store.operation";

  private final BatonListener listener;
  private final OperationRecorder recorder;

  private BatonMetrics(BatonListener listener, OperationRecorder recorder) {
    this.listener = listener;
    this.recorder = recorder;
  }

  /**
   * Metrics in {@code registry}: event counters and store operation timers.
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static BatonMetrics of(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    EventCounters counters = new EventCounters(registry);
    return new BatonMetrics(counters::increment, new TimedOperations(registry));
  }

  /**
   * Observations in {@code registry}: one per store operation, and events on the current one.
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static BatonMetrics of(ObservationRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return new BatonMetrics(event -> {
      Observation current = registry.getCurrentObservation();
      if (current != null) {
        current.event(Observation.Event.of("baton." + typeTag(event.type())));
      }
    }, new ObservedOperations(registry));
  }

  /**
   * Sets {@code builder}'s listener to {@link #listener()} and its store to {@code store} decorated
   * by {@link #store(TokenSnapshotStore)}: the one call that binds a Baton to this registry.
   *
   * @return {@code builder}
   * @throws NullPointerException if an argument is null
   */
  public BatonBuilder instrument(BatonBuilder builder, TokenSnapshotStore store) {
    Objects.requireNonNull(builder, "builder");
    return builder.listener(listener).store(store(store));
  }

  /** The listener that records Baton's events; compose it with your own if you have one. */
  public BatonListener listener() {
    return listener;
  }

  /**
   * {@code delegate}, with every operation timed or observed. The decorator reports the delegate's
   * {@link TokenSnapshotStore#capabilities() capabilities}, closes it, and shows it in
   * {@code toString}; exceptions pass through unchanged.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public TokenSnapshotStore store(TokenSnapshotStore delegate) {
    return new InstrumentedStore(delegate, recorder);
  }

  static String typeTag(BatonEvent.Type type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  /** {@code decode_failed}, {@code store_failed} or {@code none}. */
  static String reasonTag(BatonEvent event) {
    BatonEvent.Type type = event.type();
    if (type != BatonEvent.Type.RESTORE_FAILED && type != BatonEvent.Type.CLEANUP_FAILED) {
      return "none";
    }
    for (@Nullable Throwable t = event.error(); t != null; t = t.getCause()) {
      if (t instanceof SnapshotDecodeException) {
        return "decode_failed";
      }
    }
    return "store_failed";
  }

  /** One counter per (type, reason), registered up front. */
  private static final class EventCounters {
    private final Map<BatonEvent.Type, Counter> plain = new EnumMap<>(BatonEvent.Type.class);
    private final Map<BatonEvent.Type, Counter> storeFailed =
        new EnumMap<>(BatonEvent.Type.class);
    private final Map<BatonEvent.Type, Counter> decodeFailed =
        new EnumMap<>(BatonEvent.Type.class);

    EventCounters(MeterRegistry registry) {
      for (BatonEvent.Type type : BatonEvent.Type.values()) {
        if (type == BatonEvent.Type.RESTORE_FAILED || type == BatonEvent.Type.CLEANUP_FAILED) {
          storeFailed.put(type, counter(registry, type, "store_failed"));
          decodeFailed.put(type, counter(registry, type, "decode_failed"));
        } else {
          plain.put(type, counter(registry, type, "none"));
        }
      }
    }

    private static Counter counter(MeterRegistry registry, BatonEvent.Type type, String reason) {
      return Counter.builder(EVENTS)
          .description("Baton capture, restore and cleanup outcomes")
          .tag("type", typeTag(type))
          .tag("reason", reason)
          .register(registry);
    }

    void increment(BatonEvent event) {
      Map<BatonEvent.Type, Counter> counters = switch (reasonTag(event)) {
        case "store_failed" -> storeFailed;
        case "decode_failed" -> decodeFailed;
        default -> plain;
      };
      Objects.requireNonNull(counters.get(event.type()), "a counter per type and reason")
          .increment();
    }
  }
}
