package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import java.time.Duration;
import dev.baton.store.TokenSnapshotStore;
import org.junit.jupiter.api.Test;

/** Overwrite and delete: the latest save wins; delete removes and reports whether it did. */
interface EntryChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }


  @Test
  default void save_twice_loadReturnsTheLatest() {
    TaskKey key = fixture().key("overwrite");
    store().save(key, Samples.numbered(1), fixture().longTtl());
    store().save(key, Samples.numbered(2), fixture().longTtl());
    assertThat(store().load(key)).as(rule("a second save to a key replaces the first",
            "that save overwrites (SET, UPSERT / ON CONFLICT UPDATE), rather than"
                + " insert-if-absent"))
        .contains(Samples.numbered(2));
  }

  @Test
  default void save_anonymousOverToken_loadReturnsAnonymous() {
    TaskKey key = fixture().key("overwrite-anonymous");
    store().save(key, Samples.rich(), fixture().longTtl());
    store().save(key, Samples.anonymous(), fixture().longTtl());
    assertThat(store().load(key)).as(rule(
            "saving an anonymous snapshot over a token replaces the token (no inherited identity)",
            "that an anonymous snapshot is written as a value, not skipped or merged"))
        .contains(Samples.anonymous());
  }

  @Test
  default void save_overwrite_replacesTheTtl() {
    TaskKey key = fixture().key("overwrite-ttl");
    Duration ttl = fixture().shortTtl();
    store().save(key, Samples.numbered(1), fixture().longTtl());
    Fixture.Saved saved = fixture().save(key, Samples.numbered(2), ttl);
    fixture().assertGoneAfterTtl(key, ttl, saved, rule(
        "an overwrite replaces the previous entry's TTL with its own",
        "that save sets the expiry on every write (SET ... PX, not SET then EXPIRE-if-new)"));
  }

  @Test
  default void delete_existing_returnsTrueThenLoadIsEmpty() {
    TaskKey key = fixture().key("delete");
    store().save(key, Samples.rich(), fixture().longTtl());
    assertThat(store().delete(key)).as(rule("delete of a live entry returns true",
            "that delete reports whether it removed something (DEL's count, rows affected)"))
        .isTrue();
    assertThat(store().load(key)).as(rule("after delete, load is empty",
            "that delete removes the entry from every layer (no near cache left holding it)"))
        .isEmpty();
  }

  @Test
  default void delete_missing_returnsFalse() {
    assertThat(store().delete(fixture().key("never-saved"))).as(rule(
            "delete of a key never saved returns false",
            "that delete does not return true unconditionally"))
        .isFalse();
  }

  @Test
  default void delete_twice_secondReturnsFalse() {
    TaskKey key = fixture().key("delete-twice");
    store().save(key, Samples.rich(), fixture().longTtl());
    store().delete(key);
    assertThat(store().delete(key)).as(rule("a second delete of the same key returns false",
            "that delete really removes the entry and reports the backend's answer"))
        .isFalse();
  }

  @Test
  default void save_afterDelete_storesAgain() {
    TaskKey key = fixture().key("resave");
    store().save(key, Samples.numbered(1), fixture().longTtl());
    store().delete(key);
    store().save(key, Samples.numbered(2), fixture().longTtl());
    assertThat(store().load(key)).as(rule("a key can be saved again after delete",
            "that delete leaves no tombstone that blocks later saves"))
        .contains(Samples.numbered(2));
  }

  @Test
  default void delete_leavesOtherKeys() {
    TaskKey one = fixture().key("one");
    TaskKey two = fixture().key("two");
    store().save(one, Samples.numbered(1), fixture().longTtl());
    store().save(two, Samples.numbered(2), fixture().longTtl());
    store().delete(one);
    assertThat(store().load(two)).as(rule("delete removes only its own key",
            "that delete does not match by prefix or clear the whole store"))
        .contains(Samples.numbered(2));
  }
}
