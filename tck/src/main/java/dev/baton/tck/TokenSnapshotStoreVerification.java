package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The compatibility kit for a {@link TokenSnapshotStore}: extend it in a test, build your store in
 * {@link #createStore(StoreTime)}, and run it on the JUnit Platform.
 *
 * <pre>{@code
 * class MyStoreTckTest extends TokenSnapshotStoreVerification {
 *   @Override
 *   protected TokenSnapshotStore createStore(StoreTime time) {
 *     return MyStore.builder().ticker(time::nanos).build();
 *   }
 * }
 * }</pre>
 *
 * <h2>What runs</h2>
 * Named checks grouped by contract (round trip, keys, entries, expiry, touch, take, concurrency,
 * arguments, closed store, failures, asynchronous save, sealed values) and four properties run by
 * QuickTheories (generated snapshots, plain and sealed, generated keys, and a model-based chain of
 * operations, shrunk to the shortest failing chain). Every check is a method of this class (the groups are interfaces it implements), so it
 * runs and reports under <em>your</em> subclass's name: two certified stores in one build write
 * separate reports. Each check's name reads as the rule it checks; its failure message names your
 * class in brackets, states the rule and continues "if this fails, check ...", also when the store
 * itself threw. Failure text is escaped so that reports stay well-formed XML.
 *
 * <h2>Capabilities</h2>
 * <ul>
 *   <li>{@link #timeControl()}: whether the kit drives the store's clock (default) or the store
 *       runs on real time with a stated granularity.
 *   <li>{@link TokenSnapshotStore#capabilities()} (of the store itself): touch and take; checks of
 *       an undeclared operation are reported as skipped, with the reason.
 *   <li>{@link #maxSnapshotBytes()}: the size beyond which save must reject a snapshot.
 *   <li>{@link #failureInjection()}: how to make the backend fail; without it the failure checks
 *       are skipped.
 *   <li>{@link #createSealedStore}: the store keeping values as the sealing codec writes them
 *       (binary); without it the sealed value checks are skipped.
 * </ul>
 *
 * <p>Every check can fail on the clock it runs on, or is reported as skipped there with the reason
 * (a TTL of one granularity cannot be proven present on real time; a sub-millisecond TTL means
 * nothing to a store declaring whole milliseconds) — never a silent pass.
 *
 * <h2>Lifecycle</h2>
 * Every check and every property sample gets a fresh store from {@link #createStore(StoreTime)},
 * created on first use. Keys are unique per store instance (a random scope prefix), so stores that
 * share one backend need no cleanup between checks; when the check ends, the kit deletes every key
 * it used (best effort: a failed delete is ignored) and then closes the store, so a persistent
 * backend keeps no rows from the kit.
 *
 * <p>Settings such as timeouts and TTL margins are system properties ({@code baton.tck.timeout},
 * {@code baton.tck.ttlMargin}, {@code baton.tck.shortTtl}, {@code baton.tck.concurrency},
 * {@code baton.tck.rounds}, {@code baton.tck.tries}); see the module's README.
 */
// FailureWording is package-private on purpose: JUnit instantiates it reflectively (open module).
@SuppressWarnings("exports")
@ExtendWith(FailureWording.class)
public abstract class TokenSnapshotStoreVerification
    implements RoundTripChecks, KeyChecks, EntryChecks, ExpiryChecks, TouchChecks, TakeChecks,
    ConcurrencyChecks, ArgumentChecks, ClosedStoreChecks, FailureChecks, AsyncSaveChecks,
    BatchSaveChecks, SealedValueChecks {
  /** The default of {@link #maxSnapshotBytes()}: the core JSON codec's default limit, 64 KiB. */
  // Kept equal to JsonSnapshotCodec.DEFAULT_MAX_ENCODED_BYTES in core.
  public static final int DEFAULT_MAX_SNAPSHOT_BYTES = 64 * 1024;

  private @Nullable Fixture fixture;

  /** For subclasses. */
  protected TokenSnapshotStoreVerification() {}

  /**
   * Builds a fresh, open store for one check. Called once per check (and per property
   * sample); the kit deletes what it saved and closes the store afterwards.
   *
   * @param time under {@link TimeControl#manual()}, the time the store must read every "now" from
   *     (e.g. a Caffeine {@code Ticker}: {@code time::nanos}, or {@code time.clock()}); under real
   *     time, the system's time, which a store with its own clock may ignore
   * @return a new store; never null
   * @throws Exception if the store cannot be built (the check then errors)
   */
  protected abstract TokenSnapshotStore createStore(StoreTime time) throws Exception;

  /**
   * How the kit controls the store's time. The default, {@link TimeControl#manual()}, requires the
   * store to read time from the {@link StoreTime} given to {@link #createStore(StoreTime)}; return
   * {@link TimeControl#realTime(java.time.Duration)} for a store on a clock the kit cannot move.
   */
  protected TimeControl timeControl() {
    return TimeControl.manual();
  }

  /**
   * Builds a fresh, open store like {@link #createStore(StoreTime)}, but keeping its values as
   * {@code codec} writes them: the kit then runs its value checks again through this store, with
   * values that are binary (a leading {@code 0xBA}, {@code 0x00} bytes, never valid UTF-8), so a
   * store that keeps text instead of bytes fails. Override it when your store keeps encoded values
   * and can seal them, e.g. {@code Optional.of(MyStore.builder().codec(codec).build())} (a store
   * on a shared backend may use the same one as {@code createStore}: keys never collide).
   *
   * <p>The default returns empty: the sealed value checks are then reported as skipped, with the
   * reason. A store that keeps snapshot objects, not bytes (an in-process map), has nothing to
   * seal and may leave it so.
   *
   * @param time as for {@link #createStore(StoreTime)}
   * @param codec the kit's sealing codec: XAES-256-GCM over the core JSON codec, with a random key
   * @return the store, or empty when it cannot keep sealed values
   * @throws Exception if the store cannot be built (the check then errors)
   */
  protected Optional<TokenSnapshotStore> createSealedStore(
      StoreTime time, SealingSnapshotCodec codec) throws Exception {
    return Optional.empty();
  }

  /**
   * The encoded size (in bytes) beyond which {@code save} must throw
   * {@link IllegalArgumentException}, or empty when the store has no limit (the oversized checks
   * are then skipped). Default: {@value #DEFAULT_MAX_SNAPSHOT_BYTES}. The kit saves snapshots of
   * half this size (must be accepted) and of more than this size (must be rejected).
   */
  protected OptionalInt maxSnapshotBytes() {
    return OptionalInt.of(DEFAULT_MAX_SNAPSHOT_BYTES);
  }

  /**
   * How to make the backend of a store fail, or empty (the default) when the kit cannot; the
   * {@code Failures} checks are then skipped.
   */
  protected Optional<FailureInjector> failureInjection() {
    return Optional.empty();
  }

  // ---- fixtures ---------------------------------------------------------------------------------

  final Fixture openFixture() {
    TimeControl time = Objects.requireNonNull(timeControl(), "timeControl()");
    return new Fixture(TckConfig.load(time), this::newStore, this::newSealedStore,
        Objects.requireNonNull(maxSnapshotBytes(), "maxSnapshotBytes()"),
        Objects.requireNonNull(failureInjection(), "failureInjection()"));
  }

  private TokenSnapshotStore newStore(StoreTime time) {
    try {
      return createStore(time);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("createStore(StoreTime) failed: " + e, e);
    }
  }

  private Optional<TokenSnapshotStore> newSealedStore(StoreTime time, SealingSnapshotCodec codec) {
    try {
      return createSealedStore(time, codec);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("createSealedStore(StoreTime, SealingSnapshotCodec) failed: "
          + e, e);
    }
  }

  final Fixture currentFixture() {
    Fixture f = fixture;
    if (f == null) {
      throw new IllegalStateException("no check is running");
    }
    return f;
  }

  @BeforeEach
  final void openCheckFixture() {
    fixture = openFixture();
  }

  @AfterEach
  final void closeCheckFixture() {
    Fixture f = fixture;
    fixture = null;
    if (f != null) {
      f.close();
    }
  }

  // ---- properties (QuickTheories) -------------------------------------------------------------

  /** Tries of the snapshot and key properties, unless {@code baton.tck.tries} says otherwise. */
  static final int DEFAULT_TRIES = 100;
  /** Tries (chains) of the model-based property, unless {@code baton.tck.tries} says otherwise. */
  static final int DEFAULT_CHAINS = 100;

  private PropertyRun property(String rule, int defaultTries) {
    return new PropertyRun(rule, TckConfig.load(timeControl()).tries.orElse(defaultTries));
  }

  /**
   * Generated snapshots (Unicode text, empty and large scope lists, nested claims, null optional
   * fields, nanosecond instants, anonymous) load equal to what was saved.
   */
  @Test
  void roundTrip_generatedSnapshots_loadEqualToSaved() {
    property("a generated snapshot loads equal to the one saved", DEFAULT_TRIES)
        .check(TckGenerators.snapshots(), snapshot -> {
          try (Fixture f = openFixture()) {
            TaskKey key = f.key("generated");
            f.store().save(key, snapshot, f.longTtl());
            assertThat(f.store().load(key)).as(Checks.rule(
                    "a generated snapshot loads equal to the one saved",
                    "the smallest failing sample above: which field differs, and how the store"
                        + " encodes it"))
                .contains(snapshot);
          }
        });
  }

  /**
   * Generated snapshots load equal to what was saved through the store of
   * {@link #createSealedStore}, whose values are binary (skipped when it is not overridden).
   */
  @Test
  void sealedValues_generatedSnapshots_loadEqualToSaved() {
    try (Fixture probe = openFixture()) {
      var unused = probe.sealedStore(); // not overridden: reported as skipped, with the reason
    }
    property(Checks.rule("a generated snapshot loads equal to the one saved, sealed",
        "that the store keeps the sealed bytes unchanged end to end (bytea/BLOB columns, no"
            + " String in between)"), DEFAULT_TRIES)
        .check(TckGenerators.snapshots(), snapshot -> {
          try (Fixture f = openFixture()) {
            TaskKey key = f.key("generated-sealed");
            f.sealedStore().save(key, snapshot, f.longTtl());
            assertThat(f.sealedStore().load(key)).as(Checks.rule(
                    "a generated snapshot, sealed, loads equal to the one saved",
                    "the smallest failing sample above: that the store keeps the sealed bytes"
                        + " unchanged (no text conversion)"))
                .contains(snapshot);
          }
        });
  }

  /**
   * Generated distinct keys (separators, escapes, case, normalization, hash collisions) never share
   * an entry.
   */
  @Test
  void keys_generatedDistinctKeys_neverShareAnEntry() {
    property("generated distinct keys never share an entry", DEFAULT_TRIES)
        .check(TckGenerators.distinctKeys(), parts -> {
          try (Fixture f = openFixture()) {
            List<TaskKey> keys = parts.stream().map(k -> f.key(k.scope(), k.taskId())).toList();
            for (int i = 0; i < keys.size(); i++) {
              f.store().save(keys.get(i), Samples.numbered(i), f.longTtl());
            }
            for (int i = 0; i < keys.size(); i++) {
              assertThat(f.store().load(keys.get(i))).as(Checks.rule(
                      "distinct keys name distinct entries: " + parts.get(i)
                          + " loads its own snapshot",
                      "that store keys come from TaskKey.encoded() and are compared byte for"
                          + " byte"))
                  .contains(Samples.numbered(i));
            }
          }
        });
  }

  /**
   * Generated chains of save, load, delete, touch, take and advance-time agree with a reference
   * model at every step (see the module README for how time is handled under real time).
   */
  @Test
  void stateful_randomOperations_agreeWithReferenceModel() {
    TokenSnapshotStore.Capabilities capabilities;
    boolean manual;
    try (Fixture probe = openFixture()) {
      capabilities = probe.store().capabilities();
      manual = probe.time.isManual();
    }
    property("every operation agrees with a reference model", DEFAULT_CHAINS)
        .check(StatefulModel.chains(capabilities.touch(), capabilities.take(), manual),
            chain -> StatefulModel.run(chain, this::openFixture),
            chain -> StatefulModel.minimize(chain, this::openFixture));
  }
}
