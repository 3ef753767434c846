package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.baton.TaskKey;
import java.time.Duration;
import dev.baton.store.TokenSnapshotStore;
import org.junit.jupiter.api.Test;

/**
 * Expiry: an entry is readable strictly before its TTL has elapsed and gone after it (plus a margin
 * the granularity sets). Manual time is advanced exactly; real time is polled with a deadline.
 */
interface ExpiryChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }


  @Test
  default void load_beforeTtl_isPresent() {
    TaskKey key = fixture().key("before-ttl");
    Duration ttl = fixture().shortTtl();
    Fixture.Saved saved = fixture().save(key, Samples.rich(), ttl);
    fixture().assertPresentBeforeTtl(key, Samples.rich(), ttl, saved, rule(
        "an entry is readable until its TTL has elapsed (" + ttl + ")",
        "that the TTL is not rounded down (Duration.getSeconds(), integer division) and that the"
            + " store reads the StoreTime it was given"));
  }

  @Test
  default void load_afterTtl_isEmpty() {
    TaskKey key = fixture().key("after-ttl");
    Duration ttl = fixture().shortTtl();
    Fixture.Saved saved = fixture().save(key, Samples.rich(), ttl);
    fixture().assertGoneAfterTtl(key, ttl, saved, rule(
        "an entry is gone once its TTL has elapsed",
        "that save passes the TTL to the backend and that the store reads the StoreTime it was"
            + " given (for Caffeine: .ticker(time::nanos))"));
  }

  @Test
  default void delete_afterTtl_returnsFalse() {
    TaskKey key = fixture().key("delete-expired");
    Duration ttl = fixture().shortTtl();
    Fixture.Saved saved = fixture().save(key, Samples.rich(), ttl);
    fixture().assertGoneAfterTtl(key, ttl, saved, rule("an entry is gone after its TTL",
        "that the TTL is applied"));
    assertThat(store().delete(key)).as(rule(
            "delete of an expired entry returns false (it removed no live entry)",
            "that delete checks expiry, not just presence of a stale row"))
        .isFalse();
  }

  @Test
  default void ttl_isPerEntry() {
    TaskKey shortLived = fixture().key("short");
    TaskKey longLived = fixture().key("long");
    Duration ttl = fixture().shortTtl();
    store().save(longLived, Samples.numbered(2), fixture().longTtl());
    Fixture.Saved saved = fixture().save(shortLived, Samples.numbered(1), ttl);
    fixture().assertGoneAfterTtl(shortLived, ttl, saved, rule("the short-lived entry expires",
        "that each save applies its own TTL"));
    assertThat(store().load(longLived)).as(rule(
            "an entry with a long TTL outlives one with a short TTL",
            "that the TTL is stored per entry, not one TTL for the whole store"))
        .contains(Samples.numbered(2));
  }

  @Test
  default void save_afterExpiry_storesAgain() {
    TaskKey key = fixture().key("after-expiry");
    Duration ttl = fixture().shortTtl();
    Fixture.Saved saved = fixture().save(key, Samples.numbered(1), ttl);
    fixture().assertGoneAfterTtl(key, ttl, saved, rule("an entry is gone after its TTL",
        "that the TTL is applied"));
    store().save(key, Samples.numbered(2), fixture().longTtl());
    assertThat(store().load(key)).as(rule("a key can be saved again after its entry expired",
            "that an expired entry does not block or shadow a new save"))
        .contains(Samples.numbered(2));
  }

  @Test
  default void save_ttlOfMonths_isKept() {
    TaskKey key = fixture().key("months");
    Duration ttl = Duration.ofDays(400);
    store().save(key, Samples.rich(), ttl);
    if (fixture().time.isManual()) {
      fixture().pass(ttl.minusDays(1));
    }
    assertThat(store().load(key)).as(rule(
            "an entry saved with a TTL of 400 days is still there a day before it ends",
            "for int overflow when the TTL is converted to milliseconds or seconds"))
        .contains(Samples.rich());
  }

  @Test
  default void save_ttlBelowGranularity_isAcceptedAndRoundedUp() {
    TaskKey key = fixture().key("tiny-ttl");
    Duration ttl = Duration.ofNanos(1);
    String accepted = rule("a positive TTL below the store's granularity (1ns) is accepted",
        "that the TTL is rounded up to the granularity, never down to 0 (Redis rejects PX 0)");
    assertThatCode(() -> fixture().save(key, Samples.rich(), ttl)).as(accepted)
        .doesNotThrowAnyException();
    Fixture.Saved after = new Fixture.Saved(fixture().time.nanos(), fixture().time.nanos());
    fixture().assertGoneAfterTtl(key, fixture().granularity(), after, rule(
        "an entry with a TTL below the granularity is gone after one granularity",
        "that a tiny TTL is rounded up by at most one granularity, not treated as 'no expiry'"));
  }

  @Test
  default void load_unalignedTtl_isPresentJustBeforeAndGoneJustAfterItsDeadline() {
    fixture().passUnalignedStep();
    TaskKey key = fixture().key("unaligned-ttl");
    Duration ttl = fixture().shortTtl().plusNanos(123_456_789L);
    Fixture.Saved saved = fixture().save(key, Samples.rich(), ttl);
    fixture().assertPresentBeforeTtl(key, Samples.rich(), ttl, saved, rule(
        "an entry is readable until one granularity before its TTL, at any precision (" + ttl
            + " saved at an instant off every millisecond)",
        "that the store keeps deadlines at least as precisely as the granularity it declares"
            + " (TimeControl): no whole milliseconds or seconds when it declares nanoseconds"));
    fixture().assertGoneAfterTtl(key, ttl, saved, rule(
        "an entry is gone one granularity after its TTL, at any precision (" + ttl + ")",
        "that the store keeps deadlines at least as precisely as the granularity it declares"
            + " (TimeControl), and rounds up by at most one granularity"));
  }

  @Test
  default void load_ttlOfOneGranularity_isPresentWhenSavedAndGoneAfterIt() {
    fixture().passUnalignedStep();
    TaskKey key = fixture().key("one-granularity");
    Duration ttl = fixture().granularity();
    Fixture.Saved saved = fixture().save(key, Samples.rich(), ttl);
    fixture().assertPresentBeforeTtl(key, Samples.rich(), ttl, saved, rule(
        "an entry whose TTL is one granularity (" + ttl + ") is readable at the instant it was"
            + " saved",
        "that a short TTL is not truncated to zero (Duration.toMillis() of a sub-millisecond"
            + " TTL) and that deadlines keep the declared precision"));
    fixture().assertGoneAfterTtl(key, ttl, saved, rule(
        "an entry whose TTL is one granularity is gone after it",
        "that a short TTL is not rounded up past one granularity"));
  }
}
