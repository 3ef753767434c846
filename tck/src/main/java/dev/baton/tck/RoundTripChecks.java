package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.util.List;
import dev.baton.store.TokenSnapshotStore;
import org.junit.jupiter.api.Test;

/** Values: what is loaded equals what was saved, field by field and type by type. */
interface RoundTripChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }


  private void assertRoundTrip(TokenSnapshot snapshot, String rule) {
    TaskKey key = fixture().key("round-trip");
    store().save(key, snapshot, fixture().longTtl());
    assertThat(store().load(key)).as(rule).contains(snapshot);
  }

  @Test
  default void load_afterSave_returnsEqualSnapshot() {
    assertRoundTrip(Samples.rich(), rule("load returns a snapshot equal to the one saved",
        "that every field of AccessToken and TokenSnapshot (token, clientId, scopes, expiresAt,"
            + " resource, claims, capturedAt) is written and read back"));
  }

  @Test
  default void load_anonymousSnapshot_isAnonymousNotMissing() {
    TaskKey key = fixture().key("anonymous");
    store().save(key, Samples.anonymous(), fixture().longTtl());
    assertThat(store().load(key)).as(rule(
            "an anonymous snapshot loads as a present, anonymous snapshot (not as no snapshot)",
            "that the store writes a value for TokenSnapshot.anonymous(..) and does not treat an"
                + " absent token as an absent entry"))
        .hasValueSatisfying(s -> assertThat(s.isAnonymous()).isTrue())
        .contains(Samples.anonymous());
  }

  @Test
  default void load_tokenWithOnlyRequiredFields_keepsAbsentFieldsAbsent() {
    assertRoundTrip(Samples.minimal(), rule(
        "a token without scopes, expiry, resource or claims loads with none of them",
        "that null expiresAt/resource stay null (not epoch or \"\") and empty lists/maps stay"
            + " empty"));
  }

  @Test
  default void load_nestedClaims_keepStructureAndNulls() {
    assertRoundTrip(Samples.deeplyNested(24), rule(
        "claims nested 24 levels deep (maps and lists, nulls inside) load unchanged",
        "that the codec has no depth limit below 32 and keeps null list elements and null map"
            + " values"));
  }

  @Test
  default void load_unicodeText_roundTripsExactly() {
    assertRoundTrip(Samples.unicode(), rule(
        "text in any script, emoji, combining marks and control characters loads unchanged",
        "that the store encodes text as UTF-8 end to end (column types, connection charset) and"
            + " escapes control characters such as U+0000 instead of dropping them"));
  }

  @Test
  default void load_emptyScopes_roundTrip() {
    assertRoundTrip(Samples.manyScopes(0), rule("a token with no scopes loads with no scopes",
        "that an empty list is not written as null or skipped"));
  }

  @Test
  default void load_thousandScopes_keepTheirOrder() {
    assertRoundTrip(Samples.manyScopes(1000), rule(
        "a token with 1000 scopes loads with all of them, in the order given",
        "that scopes are not sorted, de-duplicated or truncated"));
  }

  @Test
  default void load_instants_keepNanosecondPrecision() {
    assertRoundTrip(Samples.rich(), rule(
        "expiresAt and capturedAt load with nanosecond precision",
        "that instants are not stored as epoch milliseconds or a SQL timestamp of lower"
            + " precision"));
  }

  @Test
  default void load_instantsAroundAndBeforeTheEpoch_roundTrip() {
    List<TokenSnapshot> samples = Samples.extremeInstants();
    for (int i = 0; i < samples.size(); i++) {
      TaskKey key = fixture().key("instant-" + i);
      store().save(key, samples.get(i), fixture().longTtl());
      assertThat(store().load(key)).as(rule(
              "instants before the epoch, at it, past 2038 and in year 9999 load unchanged ("
                  + samples.get(i).capturedAt() + ")",
              "the arithmetic that splits instants into seconds and nanos (floor division for"
                  + " negative values)"))
          .contains(samples.get(i));
    }
  }

  @Test
  default void load_numericClaims_keepValueScaleAndType() {
    assertRoundTrip(Samples.numbers(), rule(
        "numeric claims load with the same value, scale and type (Long, BigInteger, BigDecimal)",
        "that numbers are not read back as double (losing digits) and BigDecimal scale is kept"
            + " (1.50 is not 1.5)"));
  }

  @Test
  default void load_snapshotOfHalfTheSizeLimit_roundTrips() {
    int limit = fixture().maxSnapshotBytes.orElse(64 * 1024);
    assertRoundTrip(Samples.withClaimOfLength(limit / 2), rule(
        "a snapshot of half the declared size limit (" + limit / 2 + " chars of claims) loads"
            + " unchanged",
        "that values are not truncated (VARCHAR(255) columns, fixed buffers) and that"
            + " maxSnapshotBytes() matches the store's real limit"));
  }

  @Test
  default void load_twice_returnsEqualSnapshots() {
    TaskKey key = fixture().key("twice");
    store().save(key, Samples.rich(), fixture().longTtl());
    var first = store().load(key);
    var second = store().load(key);
    assertThat(second).as(rule("loading does not consume or change the entry",
            "that load does not delete, decrement or rewrite the stored value"))
        .contains(Samples.rich())
        .isEqualTo(first);
  }
}
