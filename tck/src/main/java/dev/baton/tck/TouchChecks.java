package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static dev.baton.tck.Checks.assertThrows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import java.time.Duration;
import dev.baton.store.TokenSnapshotStore;
import org.junit.jupiter.api.Test;

/** Touch (optional): resets a live entry's TTL to a new value from now; skipped when undeclared. */
interface TouchChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }



  @Test
  default void touch_liveEntry_returnsTrue() {
    fixture().assumeTouch();
    TaskKey key = fixture().key("touch-live");
    store().save(key, Samples.rich(), fixture().longTtl());
    assertThat(store().touch(key, fixture().longTtl())).as(rule(
            "touch of a live entry returns true",
            "that touch reports the backend's answer (PEXPIRE returns 1, rows affected)"))
        .isTrue();
  }

  @Test
  default void touch_missingKey_returnsFalseAndCreatesNothing() {
    fixture().assumeTouch();
    TaskKey key = fixture().key("touch-missing");
    assertThat(store().touch(key, fixture().longTtl())).as(rule(
            "touch of a key never saved returns false",
            "that touch does not report success unconditionally"))
        .isFalse();
    assertThat(store().load(key)).as(rule("touch of a missing key creates no entry",
            "that touch updates only existing entries (no upsert)"))
        .isEmpty();
  }

  @Test
  default void touch_expiredEntry_returnsFalse() {
    fixture().assumeTouch();
    TaskKey key = fixture().key("touch-expired");
    Duration ttl = fixture().shortTtl();
    Fixture.Saved saved = fixture().save(key, Samples.rich(), ttl);
    fixture().assertGoneAfterTtl(key, ttl, saved, rule("an entry is gone after its TTL",
        "that the TTL is applied"));
    assertThat(store().touch(key, fixture().longTtl())).as(rule(
            "touch of an expired entry returns false and does not revive it",
            "that touch checks expiry before extending"))
        .isFalse();
    assertThat(store().load(key)).isEmpty();
  }

  @Test
  default void touch_longerTtl_keepsEntryPastOriginalExpiry() {
    fixture().assumeTouch();
    TaskKey key = fixture().key("touch-extend");
    Duration ttl = fixture().shortTtl();
    // Under real time a pause between save and touch can outlast the short TTL; then the touch
    // rightly finds nothing, proving nothing, and the kit retries with a longer TTL.
    for (int attempt = 0; ; attempt++) {
      Fixture.Saved saved = fixture().save(key, Samples.rich(), ttl);
      boolean touched = store().touch(key, fixture().longTtl());
      long elapsed = fixture().time.nanos() - saved.startNanos();
      if (!touched && !fixture().time.isManual() && attempt < 4
          && elapsed >= ttl.minus(fixture().granularity()).toNanos()) {
        ttl = ttl.multipliedBy(2);
        continue;
      }
      assertThat(touched).as(rule("touch of a live entry returns true",
              "that touch reports whether it found the entry"))
          .isTrue();
      fixture().passSince(saved.endNanos(), ttl.plus(fixture().config.ttlMargin));
      assertThat(store().load(key)).as(rule(
              "touch extends the TTL: the entry outlives its original TTL",
              "that touch sets the new TTL on the backend (PEXPIRE), not only returns true"))
          .contains(Samples.rich());
      return;
    }
  }

  @Test
  default void touch_shorterTtl_expiresEntryEarlier() {
    fixture().assumeTouch();
    TaskKey key = fixture().key("touch-shorten");
    Duration ttl = fixture().shortTtl();
    store().save(key, Samples.rich(), fixture().longTtl());
    long start = fixture().time.nanos();
    assertThat(store().touch(key, ttl)).isTrue();
    Fixture.Saved touched = new Fixture.Saved(start, fixture().time.nanos());
    fixture().assertGoneAfterTtl(key, ttl, touched, rule(
        "touch resets the TTL to the new value, also when it is shorter",
        "that touch replaces the expiry rather than keeping the later of the two"));
  }

  @Test
  default void touch_keepsTheValue() {
    fixture().assumeTouch();
    TaskKey key = fixture().key("touch-value");
    store().save(key, Samples.rich(), fixture().longTtl());
    store().touch(key, fixture().longTtl());
    assertThat(store().load(key)).as(rule("touch leaves the stored snapshot unchanged",
            "that touch does not rewrite or re-encode the value"))
        .contains(Samples.rich());
  }

  @Test
  default void touch_nonPositiveTtl_throwsIaeAndKeepsTheEntry() {
    fixture().assumeTouch();
    TaskKey key = fixture().key("touch-bad-ttl");
    store().save(key, Samples.rich(), fixture().longTtl());
    String rule = rule("touch with a zero or negative TTL throws IllegalArgumentException",
        "that touch validates its TTL before calling the backend");
    assertThrows(IllegalArgumentException.class, () -> store().touch(key, Duration.ZERO),
        rule);
    assertThrows(IllegalArgumentException.class, () -> store().touch(key, Duration.ofMillis(-1)),
        rule);
    assertThat(store().load(key)).as(rule("a rejected touch leaves the entry in place",
            "that the TTL is validated before anything is sent (PEXPIRE 0 deletes the key)"))
        .contains(Samples.rich());
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the check is that the store refuses it
  default void touch_nullArguments_throwNpe() {
    fixture().assumeTouch();
    TaskKey key = fixture().key("touch-null");
    String rule = rule("touch with a null key or TTL throws NullPointerException",
        "Objects.requireNonNull(key, \"key\") and (ttl, \"ttl\") at the top of touch");
    assertThrows(NullPointerException.class, () -> store().touch(null, fixture().longTtl()),
        rule);
    assertThrows(NullPointerException.class, () -> store().touch(key, null),
        rule);
  }
}
