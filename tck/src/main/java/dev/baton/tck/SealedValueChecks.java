package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sealed values (optional, needs {@code createSealedStore}): the value checks again, through a
 * store that keeps what the sealing codec writes. Those values are binary — a leading
 * {@code 0xBA}, {@code 0x00} bytes, never valid UTF-8 — so a store that keeps text instead of
 * bytes (a {@code TEXT} column, a {@code String} made from the bytes) fails here while it passes
 * every plain-JSON check.
 */
interface SealedValueChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  /** Every hand-written value sample of the round-trip checks, the half-size-limit one included. */
  private List<TokenSnapshot> valueSamples() {
    var samples = new ArrayList<TokenSnapshot>(List.of(Samples.rich(), Samples.anonymous(),
        Samples.minimal(), Samples.deeplyNested(24), Samples.unicode(), Samples.manyScopes(0),
        Samples.manyScopes(1000), Samples.numbers(), Samples.leakProbe(),
        Samples.asciiLeakProbe()));
    samples.addAll(Samples.extremeInstants());
    int limit = fixture().maxSnapshotBytes.orElse(TokenSnapshotStoreVerification
        .DEFAULT_MAX_SNAPSHOT_BYTES);
    samples.add(Samples.withClaimOfLength(limit / 2));
    return samples;
  }

  @Test
  default void sealedValues_everyValueSample_loadsEqualToSaved() {
    TokenSnapshotStore sealed = fixture().sealedStore();
    List<TokenSnapshot> samples = valueSamples();
    for (int i = 0; i < samples.size(); i++) {
      TaskKey key = fixture().key("sealed-" + i);
      sealed.save(key, samples.get(i), fixture().longTtl());
      assertThat(sealed.load(key)).as(rule(
              "a sealed value (binary: 0xBA first, 0x00 bytes, not UTF-8) loads as the snapshot"
                  + " saved (sample " + i + " of " + samples.size() + ")",
              "that the store keeps values as bytes end to end (bytea/BLOB columns, byte-array"
                  + " codecs, no String in between) and passes the codec's output unchanged"))
          .contains(samples.get(i));
    }
  }

  @Test
  default void sealedValues_overwriteAndTake_returnTheLatestSnapshot() {
    TokenSnapshotStore sealed = fixture().sealedStore();
    TaskKey key = fixture().key("sealed-overwrite");
    sealed.save(key, Samples.numbered(1), fixture().longTtl());
    sealed.save(key, Samples.numbered(2), fixture().longTtl());
    String rule = rule("a sealed value that replaced another loads as the latest snapshot",
        "that the sealed store writes the whole new value (no append, no partial update)");
    assertThat(sealed.load(key)).as(rule).contains(Samples.numbered(2));
    if (sealed.capabilities().take()) {
      assertThat(sealed.take(key)).as(rule("take of a sealed value returns the snapshot saved",
              "that take decodes with the same codec as load"))
          .contains(Samples.numbered(2));
      assertThat(sealed.load(key)).as(rule("after take, a sealed value is gone",
              "that take removes the entry"))
          .isEmpty();
    }
  }
}
