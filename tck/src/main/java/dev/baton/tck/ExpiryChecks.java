package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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
  default void load_ttlOfOneGranularity_isPresentWhenSaved() {
    Assumptions.assumeTrue(fixture().time.isManual(), "not applicable on real time: an entry"
        + " whose TTL is one granularity may be gone by the time any load returns, so no load can"
        + " prove it was stored; on real time, load_subMillisecondTtl_isPresentUntilJustBeforeIt"
        + "sDeadline_onEveryTry checks short TTLs instead; skipped");
    fixture().passUnalignedStep();
    TaskKey key = fixture().key("one-granularity");
    Duration ttl = fixture().granularity();
    Fixture.Saved saved = fixture().save(key, Samples.rich(), ttl);
    fixture().assertPresentBeforeTtl(key, Samples.rich(), ttl, saved, rule(
        "an entry whose TTL is one granularity (" + ttl + ") is readable at the instant it was"
            + " saved",
        "that a short TTL is not truncated to zero (Duration.toMillis() of a sub-millisecond"
            + " TTL) and that deadlines keep the declared precision"));
  }

  @Test
  default void load_ttlOfOneGranularity_isGoneAfterIt() {
    fixture().passUnalignedStep();
    TaskKey key = fixture().key("one-granularity-gone");
    Duration ttl = fixture().granularity();
    Fixture.Saved saved = fixture().save(key, Samples.rich(), ttl);
    fixture().assertGoneAfterTtl(key, ttl, saved, rule(
        "an entry whose TTL is one granularity (" + ttl + ") is gone after it",
        "that a short TTL is not rounded up past one granularity, nor treated as 'no expiry'"));
  }

  /**
   * A TTL of about 1.5 ms, off every millisecond, saved and read back just before its deadline
   * many times: a store keeping deadlines in whole milliseconds (while declaring a finer
   * granularity) reads the entry as gone in nearly every try that the kit can time. Under manual
   * time one try is exact; under real time a try counts only if save and load together took less
   * than {@link SubMillisecondTries#BUDGET}; without any such try the check is not applicable on
   * this machine (skipped, saying so).
   */
  @Test
  default void load_subMillisecondTtl_isPresentUntilJustBeforeItsDeadline_onEveryTry() {
    Duration ttl = SubMillisecondTries.TTL;
    Duration presentUntil = ttl.minus(fixture().granularity());
    Assumptions.assumeTrue(presentUntil.compareTo(Duration.ofMillis(1)) > 0, "not applicable:"
        + " the store declares a granularity of " + fixture().granularity() + ", so deadlines"
        + " kept in whole milliseconds are within what it declares; skipped");
    SubMillisecondTries.run(fixture(), ttl, rule(
        "an entry with an unaligned sub-millisecond TTL (" + ttl + ") is readable until one"
            + " granularity before its deadline, on every try",
        "that deadlines are kept as precisely as the declared granularity (TimeControl): no"
            + " whole milliseconds (System.currentTimeMillis(), date_trunc, Duration.toMillis())"
            + " when it declares microseconds or nanoseconds"));
  }

  /**
   * The longest TTLs a caller can pass are stored, never refused: {@code Duration.ofMillis(
   * Long.MAX_VALUE)} (what {@code snapshotTtl} may be set to) and {@code ChronoUnit.FOREVER}'s
   * duration. The store saturates them to the longest it can keep (the SPI: at least 100 years),
   * for save, saveAsync and touch.
   */
  @Test
  default void save_longestTtls_areStoredLoadableAndTouchable() {
    var keys = new ArrayList<TaskKey>();
    for (Duration ttl : List.of(Duration.ofMillis(Long.MAX_VALUE),
        ChronoUnit.FOREVER.getDuration())) {
      String name = ttl.equals(ChronoUnit.FOREVER.getDuration())
          ? "ChronoUnit.FOREVER.getDuration()" : "Duration.ofMillis(Long.MAX_VALUE)";
      String hint = "that the TTL is saturated to the longest the backend accepts instead of"
          + " overflowing (Redis: PX plus the server's clock must fit a signed 64-bit integer, or"
          + " 'ERR invalid expire time'; Duration.toNanos() throws past 292 years; a wrapped"
          + " deadline is already past)";
      TaskKey saved = fixture().key("longest-save-" + keys.size());
      assertThatCode(() -> store().save(saved, Samples.numbered(1), ttl)).as(rule(
          "save with a TTL of " + name + " stores the entry", hint)).doesNotThrowAnyException();
      assertThat(store().load(saved)).as(rule(
          "an entry saved with a TTL of " + name + " loads", hint)).contains(Samples.numbered(1));
      keys.add(saved);
      TaskKey async = fixture().key("longest-async-" + keys.size());
      fixture().saveAsync(async, Samples.numbered(2), ttl);
      assertThat(store().load(async)).as(rule(
          "an entry saved by saveAsync with a TTL of " + name + " loads", hint))
          .contains(Samples.numbered(2));
      keys.add(async);
      if (store().capabilities().touch()) {
        TaskKey touched = fixture().key("longest-touch-" + keys.size());
        store().save(touched, Samples.numbered(3), fixture().longTtl());
        assertThat(store().touch(touched, ttl)).as(rule(
            "touch with a TTL of " + name + " finds the live entry", hint)).isTrue();
        assertThat(store().load(touched)).as(rule(
            "an entry touched with a TTL of " + name + " loads", hint))
            .contains(Samples.numbered(3));
        keys.add(touched);
      }
    }
    if (fixture().time.isManual()) {
      Duration century = ChronoUnit.CENTURIES.getDuration();
      fixture().pass(century);
      for (TaskKey key : keys) {
        assertThat(store().load(key)).as(rule(
            "an entry saved or touched with one of the longest TTLs is still there 100 years"
                + " later (" + key.taskId() + ")",
            "that the longest TTLs are saturated to at least 100 years, not wrapped around or cut"
                + " to an int of milliseconds (24.8 days)")).isPresent();
      }
    }
  }
}
