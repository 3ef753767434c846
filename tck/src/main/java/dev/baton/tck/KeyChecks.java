package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.util.ArrayList;
import java.util.List;
import dev.baton.store.TokenSnapshotStore;
import org.junit.jupiter.api.Test;

/** Keys: unknown keys are empty, scopes isolate, and different keys never share an entry. */
interface KeyChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }


  /**
   * Saves a distinct snapshot under each key, then checks each key loads its own; then, for every
   * pair of keys in both orders, saves the two alone and loads each. The pairs make the check
   * deterministic: a store that matches keys loosely (SQL {@code LIKE}, a prefix, a hash) returns
   * whichever entry its backend finds first, and one of the two orders puts the wrong one first.
   */
  private void assertDistinct(List<TaskKey> keys, String rule) {
    assertThat(keys).doesNotHaveDuplicates();
    keys.forEach(fixture()::track);
    for (int i = 0; i < keys.size(); i++) {
      store().save(keys.get(i), Samples.numbered(i), fixture().longTtl());
    }
    for (int i = 0; i < keys.size(); i++) {
      assertThat(store().load(keys.get(i)))
          .as(rule + " [all saved: key " + keys.get(i) + " must load snapshot #" + i + "]")
          .contains(Samples.numbered(i));
    }
    keys.forEach(store()::delete);
    for (int i = 0; i < keys.size(); i++) {
      for (int j = 0; j < keys.size(); j++) {
        if (i == j) {
          continue;
        }
        TaskKey first = keys.get(i);
        TaskKey second = keys.get(j);
        store().save(first, Samples.numbered(i), fixture().longTtl());
        store().save(second, Samples.numbered(j), fixture().longTtl());
        String pair = " [saved " + first + " then " + second + ": ";
        assertThat(store().load(first)).as(rule + pair + first + " must load snapshot #" + i + "]")
            .contains(Samples.numbered(i));
        assertThat(store().load(second))
            .as(rule + pair + second + " must load snapshot #" + j + "]")
            .contains(Samples.numbered(j));
        store().delete(first);
        store().delete(second);
      }
    }
  }

  private static String injective(String what) {
    return rule("keys that differ only " + what + " name different entries",
        "that store keys come from TaskKey.encoded() (or another injective encoding) and that the"
            + " backend compares keys byte for byte (no case-insensitive collation, no Unicode"
            + " normalization, no trimming)");
  }

  @Test
  default void load_unknownKey_isEmpty() {
    assertThat(store().load(fixture().key("never-saved"))).as(rule(
            "load of a key never saved is empty",
            "that load returns Optional.empty() (not an anonymous snapshot) when nothing is"
                + " stored"))
        .isEmpty();
  }

  @Test
  default void load_otherKey_isEmptyAfterSave() {
    store().save(fixture().key("saved"), Samples.rich(), fixture().longTtl());
    assertThat(store().load(fixture().key("other"))).as(rule(
            "saving one key does not make another key loadable",
            "that the key is part of every lookup (no single-slot cache, no prefix matching)"))
        .isEmpty();
  }

  @Test
  default void sameTaskId_inDifferentScopes_areSeparateEntries() {
    TaskKey alice = fixture().key("caller-alice", "task-1");
    TaskKey bob = fixture().key("caller-bob", "task-1");
    store().save(alice, Samples.numbered(1), fixture().longTtl());
    store().save(bob, Samples.numbered(2), fixture().longTtl());
    String rule = rule("the same task id in two scopes names two entries (one caller cannot read"
            + " another's snapshot)",
        "that the store key includes TaskKey.scope(), not only taskId()");
    assertThat(store().load(alice)).as(rule).contains(Samples.numbered(1));
    assertThat(store().load(bob)).as(rule).contains(Samples.numbered(2));
  }

  @Test
  default void delete_inOneScope_leavesTheOtherScope() {
    TaskKey alice = fixture().key("caller-alice", "task-1");
    TaskKey bob = fixture().key("caller-bob", "task-1");
    store().save(alice, Samples.numbered(1), fixture().longTtl());
    store().save(bob, Samples.numbered(2), fixture().longTtl());
    assertThat(store().delete(alice)).isTrue();
    assertThat(store().load(bob)).as(rule(
            "deleting a task id in one scope leaves the same task id in another scope",
            "that delete builds its key from both scope and taskId"))
        .contains(Samples.numbered(2));
    assertThat(store().load(alice)).isEmpty();
  }

  @Test
  default void keys_differingOnlyBySeparatorPlacement_neverCollide() {
    assertDistinct(List.of(
        fixture().key("a:b", "c"), fixture().key("a", "b:c"), fixture().key("a", ":b:c"),
        fixture().key("a:", "b:c"), fixture().key("a/b", "c"), fixture().key("a", "b/c"),
        fixture().key("a|b", "c"), fixture().key("a", "b|c"), fixture().key("a", "b")),
        injective("by where a separator character stands"));
  }

  @Test
  default void keys_differingOnlyByEscapedForm_neverCollide() {
    assertDistinct(List.of(
        fixture().key("s", "a:b"), fixture().key("s", "a%3Ab"), fixture().key("s", "a%253Ab"),
        fixture().key("s", "{a}"), fixture().key("s", "%7Ba%7D"), fixture().key("s", "a%"),
        fixture().key("s", "a%25")),
        injective("in a character versus its escaped form (':' vs '%3A', '{' vs '%7B')"));
  }

  @Test
  default void keys_differingOnlyByCase_neverCollide() {
    assertDistinct(List.of(fixture().key("s", "Task"), fixture().key("s", "task"),
        fixture().key("s", "TASK"), fixture().key("S", "task"), fixture().key("s", "straße"),
        fixture().key("s", "STRASSE")),
        injective("in letter case"));
  }

  @Test
  default void keys_differingOnlyByUnicodeNormalization_neverCollide() {
    assertDistinct(List.of(
        fixture().key("s", "caf\u00E9"), fixture().key("s", "cafe\u0301"),
        fixture().key("s", "\u00C5"), fixture().key("s", "\u212B"),
        fixture().key("s", "\uFB01"), fixture().key("s", "fi"),
        fixture().key("s", "\uFF21"), fixture().key("s", "A"),
        fixture().key("s", "🙂"), fixture().key("s", "🙃")),
        injective("in Unicode normalization (NFC vs NFD, compatibility forms, emoji)"));
  }

  @Test
  default void keys_differingOnlyByWhitespace_neverCollide() {
    assertDistinct(List.of(fixture().key("s", "a b"), fixture().key("s", "a  b"),
        fixture().key("s", "a\u00A0b"), fixture().key("s", "a "), fixture().key("s", " a"),
        fixture().key("s", "a")),
        injective("in whitespace (inner, leading, trailing, no-break space)"));
  }

  @Test
  default void keys_ofMaximumLength_differingInTheLastChar_neverCollide() {
    var keys = new ArrayList<TaskKey>();
    String scope = fixture().key("x").scope();
    String longScope = scope + "-" + "s".repeat(TaskKey.MAX_LENGTH - scope.length() - 1);
    String base = "🙂".repeat((TaskKey.MAX_LENGTH - 1) / 2); // surrogate pairs up to the limit
    for (char last : new char[] {'a', 'b', 'A'}) {
      keys.add(fixture().track(new TaskKey(longScope, base + last)));
    }
    assertDistinct(keys, injective("in the last character of a " + TaskKey.MAX_LENGTH
        + "-char scope and task id") + " (also check that long keys are not hashed or truncated"
        + " to a shorter prefix)");
  }

  @Test
  default void keys_withEqualStringHashCodes_neverCollide() {
    String longPart = "x".repeat(200);
    List<TaskKey> keys = List.of(
        fixture().key("s", "Aa"), fixture().key("s", "BB"),
        fixture().key("s", "AaAa"), fixture().key("s", "BBBB"),
        fixture().key("s", "AaBB"), fixture().key("s", "BBAa"),
        fixture().key("Aa", "t"), fixture().key("BB", "t"),
        fixture().key("s", longPart + "Aa"), fixture().key("s", longPart + "BB"),
        fixture().key("s", longPart + "Ab"), fixture().key("s", longPart + "Ac"));
    assertThat(keys.get(0).encoded().hashCode()).as("kit self-check: the pairs collide")
        .isEqualTo(keys.get(1).encoded().hashCode());
    assertDistinct(keys, injective("in characters whose String.hashCode() is equal ('Aa' vs"
        + " 'BB'), or only at the end of a long key") + " (also check that the store does not key"
        + " entries by a hash of the key, or compare only a prefix)");
  }

  @Test
  default void save_toOneKey_leavesOtherKeysUnchanged() {
    TaskKey one = fixture().key("one");
    TaskKey two = fixture().key("two");
    store().save(one, Samples.numbered(1), fixture().longTtl());
    store().save(two, Samples.numbered(2), fixture().longTtl());
    store().save(two, Samples.numbered(3), fixture().longTtl());
    TokenSnapshot loaded = store().load(one).orElseThrow(() -> new AssertionError(rule(
        "saves to another key leave an entry in place", "that save writes only its own key")));
    assertThat(loaded).as(rule(
            "saves to another key leave an entry unchanged",
            "that entries do not share a mutable buffer or holder (pooled buffers, reused"
                + " objects, a thread-local scratch value stored by reference)"))
        .isEqualTo(Samples.numbered(1));
  }
}
