package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static dev.baton.tck.Checks.assertThrows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import java.time.Duration;
import dev.baton.store.TokenSnapshotStore;
import org.junit.jupiter.api.Test;

/** Bad arguments: clear exceptions, and nothing stored (or changed) by a rejected call. */
interface ArgumentChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }


  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the check is that the store refuses it
  default void save_nullArguments_throwNpeAndStoreNothing() {
    TaskKey key = fixture().key("null-args");
    String rule = rule("save with a null key, snapshot or TTL throws NullPointerException",
        "Objects.requireNonNull(..) for each argument at the top of save");
    assertThrows(NullPointerException.class,
        () -> store().save(null, Samples.rich(), fixture().longTtl()),
        rule);
    assertThrows(NullPointerException.class, () -> store().save(key, null, fixture().longTtl()),
        rule);
    assertThrows(NullPointerException.class, () -> store().save(key, Samples.rich(), null),
        rule);
    assertThat(store().load(key)).as(rule("a save rejected for a null argument stores nothing",
            "that arguments are checked before anything is written"))
        .isEmpty();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the check is that the store refuses it
  default void load_nullKey_throwsNpe() {
    assertThrows(NullPointerException.class, () -> store().load(null),
        rule(
            "load with a null key throws NullPointerException",
            "Objects.requireNonNull(key, \"key\") at the top of load"));
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the check is that the store refuses it
  default void delete_nullKey_throwsNpe() {
    assertThrows(NullPointerException.class, () -> store().delete(null),
        rule(
            "delete with a null key throws NullPointerException",
            "Objects.requireNonNull(key, \"key\") at the top of delete"));
  }

  @Test
  default void save_zeroTtl_throwsIaeAndStoresNothing() {
    TaskKey key = fixture().key("zero-ttl");
    assertThrows(IllegalArgumentException.class,
        () -> store().save(key, Samples.rich(), Duration.ZERO),
        rule(
            "save with a zero TTL throws IllegalArgumentException",
            "that save rejects ttl <= 0 instead of treating 0 as 'never expires'"));
    assertThat(store().load(key)).as(rule("a save rejected for its TTL stores nothing",
            "that the TTL is validated before the value is written"))
        .isEmpty();
  }

  @Test
  default void save_negativeTtl_throwsIaeAndStoresNothing() {
    TaskKey key = fixture().key("negative-ttl");
    assertThrows(IllegalArgumentException.class,
        () -> store().save(key, Samples.rich(), Duration.ofMillis(-5)),
        rule(
            "save with a negative TTL throws IllegalArgumentException",
            "that save rejects ttl <= 0 (Duration.isNegative() || isZero())"));
    assertThat(store().load(key)).as(rule("a save rejected for its TTL stores nothing",
            "that the TTL is validated before the value is written"))
        .isEmpty();
  }

  @Test
  default void save_rejectedTtl_keepsThePreviousEntry() {
    TaskKey key = fixture().key("rejected-ttl-keeps");
    store().save(key, Samples.numbered(1), fixture().longTtl());
    String rule = rule("a save rejected for its TTL leaves the previous entry as it was",
        "that save validates before deleting or overwriting anything");
    assertThrows(IllegalArgumentException.class,
        () -> store().save(key, Samples.numbered(2), Duration.ZERO), rule);
    assertThat(store().load(key)).as(rule).contains(Samples.numbered(1));
  }

  @Test
  default void save_oversizedSnapshot_throwsIaeAndStoresNothing() {
    int limit = fixture().assumeSizeLimit();
    TaskKey key = fixture().key("oversized");
    assertThrows(IllegalArgumentException.class,
        () -> store().save(key, Samples.withClaimOfLength(limit + 1), fixture().longTtl()),
        rule("save of a snapshot larger than maxSnapshotBytes() (" + limit + ") throws"
                + " IllegalArgumentException",
            "that the store (or its codec) enforces a size limit, and that maxSnapshotBytes()"
                + " declares the same limit"));
    assertThat(store().load(key)).as(rule("an oversized save stores nothing",
            "that the size is checked before the value is written"))
        .isEmpty();
  }

  @Test
  default void save_oversizedSnapshot_keepsThePreviousEntry() {
    int limit = fixture().assumeSizeLimit();
    TaskKey key = fixture().key("oversized-keeps");
    store().save(key, Samples.numbered(1), fixture().longTtl());
    String rule = rule("an oversized save leaves the previous entry as it was",
        "that the value is encoded and measured before the old entry is touched");
    assertThrows(IllegalArgumentException.class,
        () -> store().save(key, Samples.withClaimOfLength(limit + 1), fixture().longTtl()), rule);
    assertThat(store().load(key)).as(rule).contains(Samples.numbered(1));
  }
}
