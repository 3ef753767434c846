package dev.baton.tck;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The kit applied to the reference store and to each broken store. These classes are run only
 * through the JUnit Platform's EngineTestKit by {@link KitCatchesBrokenStoresTest} (their names do
 * not match Surefire's test patterns, and nested classes are excluded from its discovery).
 */
final class Verifications {
  private Verifications() {}

  /** A verification of a {@link ReferenceStore} variant, whose outages the kit can inject. */
  abstract static class OfReferenceStore extends TokenSnapshotStoreVerification {
    private final Function<StoreTime, ReferenceStore> factory;
    private final BiFunction<StoreTime, SnapshotCodec, ReferenceStore> sealedFactory;

    /** Sealed values go to a correct reference store in bytes mode. */
    OfReferenceStore(Function<StoreTime, ReferenceStore> factory) {
      this(factory, ReferenceStore::new);
    }

    OfReferenceStore(Function<StoreTime, ReferenceStore> factory,
        BiFunction<StoreTime, SnapshotCodec, ReferenceStore> sealedFactory) {
      this.factory = factory;
      this.sealedFactory = sealedFactory;
    }

    @Override
    protected TokenSnapshotStore createStore(StoreTime time) {
      return factory.apply(time);
    }

    @Override
    protected Optional<TokenSnapshotStore> createSealedStore(
        StoreTime time, SealingSnapshotCodec codec) {
      return Optional.of(sealedFactory.apply(time, codec));
    }

    @Override
    protected Optional<FailureInjector> failureInjection() {
      return Optional.of(store -> ((ReferenceStore) store).outage());
    }
  }

  // ---- correct stores: must pass ----------------------------------------------------------

  /** The reference store on manual time. */
  static final class Reference extends OfReferenceStore {
    Reference() {
      super(ReferenceStore::new);
    }
  }

  /** The reference store on real time (1 ms granularity): exercises polling expiry checks. */
  static final class ReferenceOnRealTime extends OfReferenceStore {
    ReferenceOnRealTime() {
      super(ReferenceStore::new);
    }

    @Override
    protected TimeControl timeControl() {
      return TimeControl.realTime(Duration.ofMillis(1));
    }
  }

  /**
   * The reference store on real time declared precise to the microsecond (like the PostgreSQL
   * store): the sub-millisecond check runs here.
   */
  static final class ReferenceOnRealTimeMicros extends OfReferenceStore {
    ReferenceOnRealTimeMicros() {
      super(ReferenceStore::new);
    }

    @Override
    protected TimeControl timeControl() {
      return TimeControl.realTime(Duration.ofNanos(1_000));
    }
  }

  /** A correct store whose TTLs are rounded up to whole seconds, declared as such. */
  static final class ReferenceWithSecondGranularity extends OfReferenceStore {
    ReferenceWithSecondGranularity() {
      super(time -> new ReferenceStore(time) {
        @Override
        long deadline(Duration ttl) {
          long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
          return saturatedAdd(time.nanos(), saturatedNanos(Duration.ofSeconds(seconds)));
        }
      });
    }

    @Override
    protected TimeControl timeControl() {
      return TimeControl.manual(Duration.ofSeconds(1));
    }
  }

  /** A correct store without touch and take, without a size limit and without failure injection. */
  static final class ReferenceWithoutOptionalFeatures extends TokenSnapshotStoreVerification {
    @Override
    protected TokenSnapshotStore createStore(StoreTime time) {
      return new ReferenceStore(time) {
        @Override
        public Capabilities capabilities() {
          return Capabilities.NONE;
        }

        @Override
        void validateSize(dev.baton.TokenSnapshot snapshot) {}
      };
    }

    @Override
    protected java.util.OptionalInt maxSnapshotBytes() {
      return java.util.OptionalInt.empty();
    }
  }

  // ---- broken stores: must fail -----------------------------------------------------------

  static final class IgnoresTtl extends OfReferenceStore {
    IgnoresTtl() {
      super(BrokenStores.IgnoresTtl::new);
    }
  }

  static final class ExpiresEarly extends OfReferenceStore {
    ExpiresEarly() {
      super(BrokenStores.ExpiresEarly::new);
    }
  }

  static final class KeepsFirstValue extends OfReferenceStore {
    KeepsFirstValue() {
      super(BrokenStores.KeepsFirstValue::new);
    }
  }

  static final class LeaksAcrossScopes extends OfReferenceStore {
    LeaksAcrossScopes() {
      super(BrokenStores.LeaksAcrossScopes::new);
    }
  }

  static final class CollidingKeys extends OfReferenceStore {
    CollidingKeys() {
      super(BrokenStores.CollidingKeys::new);
    }
  }

  static final class CaseInsensitiveKeys extends OfReferenceStore {
    CaseInsensitiveKeys() {
      super(BrokenStores.CaseInsensitiveKeys::new);
    }
  }

  static final class ValueAfterDelete extends OfReferenceStore {
    ValueAfterDelete() {
      super(BrokenStores.ValueAfterDelete::new);
    }
  }

  static final class SharedMutableValue extends OfReferenceStore {
    SharedMutableValue() {
      super(BrokenStores.SharedMutableValue::new);
    }
  }

  static final class SwallowsErrors extends OfReferenceStore {
    SwallowsErrors() {
      super(BrokenStores.SwallowsErrors::new);
    }
  }

  static final class TruncatesClaims extends OfReferenceStore {
    TruncatesClaims() {
      super(BrokenStores.TruncatesClaims::new);
    }
  }

  static final class NonAtomicTake extends OfReferenceStore {
    NonAtomicTake() {
      super(BrokenStores.NonAtomicTake::new);
    }
  }

  static final class TouchIgnoresTtl extends OfReferenceStore {
    TouchIgnoresTtl() {
      super(BrokenStores.TouchIgnoresTtl::new);
    }
  }

  static final class LenientArguments extends OfReferenceStore {
    LenientArguments() {
      super(BrokenStores.LenientArguments::new);
    }
  }

  static final class IgnoresClose extends OfReferenceStore {
    IgnoresClose() {
      super(BrokenStores.IgnoresClose::new);
    }
  }

  static final class MillisecondDeadlines extends OfReferenceStore {
    MillisecondDeadlines() {
      super(BrokenStores.MillisecondDeadlines::new);
    }
  }

  /** On real time: the kit cannot see this bug under manual time by polling, only by one load. */
  static final class StaleReadOnceOnRealTime extends OfReferenceStore {
    StaleReadOnceOnRealTime() {
      super(BrokenStores.StaleReadOnce::new);
    }

    @Override
    protected TimeControl timeControl() {
      return TimeControl.realTime(Duration.ofMillis(1));
    }
  }

  static final class HashedKeys extends OfReferenceStore {
    HashedKeys() {
      super(BrokenStores.HashedKeys::new);
    }
  }

  static final class LikeMatchingKeys extends OfReferenceStore {
    LikeMatchingKeys() {
      super(BrokenStores.LikeMatchingKeys::new);
    }
  }

  static final class LeaksHexValueInErrors extends OfReferenceStore {
    LeaksHexValueInErrors() {
      super(BrokenStores.LeaksHexValueInErrors::new);
    }
  }

  static final class LeaksValueBytesOnLoad extends OfReferenceStore {
    LeaksValueBytesOnLoad() {
      super(BrokenStores.LeaksValueBytesOnLoad::new);
    }
  }

  /** Plain values as JSON text (passes), sealed values as text too (must fail). */
  static final class KeepsText extends OfReferenceStore {
    KeepsText() {
      super(time -> new BrokenStores.KeepsText(time, JsonSnapshotCodec.create()),
          BrokenStores.KeepsText::new);
    }
  }

  static final class RejectsLongestTtls extends OfReferenceStore {
    RejectsLongestTtls() {
      super(BrokenStores.RejectsLongestTtls::new);
    }
  }

  /**
   * Whole-millisecond deadlines on real time, declared precise to the microsecond (the PostgreSQL
   * case): only the repeated sub-millisecond check can see it; {@link KitCatchesBrokenStoresTest}
   * measures how often it does.
   */
  static final class MillisecondDeadlinesOnRealTime extends OfReferenceStore {
    MillisecondDeadlinesOnRealTime() {
      super(BrokenStores.MillisecondDeadlines::new);
    }

    @Override
    protected TimeControl timeControl() {
      return TimeControl.realTime(Duration.ofNanos(1_000));
    }
  }

  static final class LeaksBase64SnapshotInCause extends OfReferenceStore {
    LeaksBase64SnapshotInCause() {
      super(BrokenStores.LeaksBase64SnapshotInCause::new);
    }
  }

  static final class Latin1Text extends OfReferenceStore {
    Latin1Text() {
      super(BrokenStores.Latin1Text::new);
    }
  }

  static final class ThrowsOnTouch extends OfReferenceStore {
    ThrowsOnTouch() {
      super(BrokenStores.ThrowsOnTouch::new);
    }
  }

  static final class ThrowsFromSaveAsync extends OfReferenceStore {
    ThrowsFromSaveAsync() {
      super(BrokenStores.ThrowsFromSaveAsync::new);
    }
  }

  static final class CompletesBeforeWriting extends OfReferenceStore {
    CompletesBeforeWriting() {
      super(BrokenStores.CompletesBeforeWriting::new);
    }
  }

  static final class BatchIgnoresTtl extends OfReferenceStore {
    BatchIgnoresTtl() {
      super(BrokenStores.BatchIgnoresTtl::new);
    }
  }

  static final class BatchSwallowsFailures extends OfReferenceStore {
    BatchSwallowsFailures() {
      super(BrokenStores.BatchSwallowsFailures::new);
    }
  }

  static final class BatchReadsKeysLate extends OfReferenceStore {
    BatchReadsKeysLate() {
      super(BrokenStores.BatchReadsKeysLate::new);
    }
  }
}
