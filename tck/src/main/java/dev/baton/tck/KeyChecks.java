package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys: unknown keys are empty, scopes isolate, and different keys never share an entry. */
abstract class KeyChecks extends Checks {

  /** Saves a distinct snapshot under each key, then checks each key loads its own. */
  private void assertDistinct(List<TaskKey> keys, String rule) {
    assertThat(keys).doesNotHaveDuplicates();
    for (int i = 0; i < keys.size(); i++) {
      store().save(keys.get(i), Samples.numbered(i), fixture().longTtl());
    }
    for (int i = 0; i < keys.size(); i++) {
      assertThat(store().load(keys.get(i)))
          .as(rule + " [key " + keys.get(i) + " must load snapshot #" + i + "]")
          .contains(Samples.numbered(i));
    }
  }

  private static String injective(String what) {
    return rule("keys that differ only " + what + " name different entries",
        "that store keys come from TaskKey.encoded() (or another injective encoding) and that the"
            + " backend compares keys byte for byte (no case-insensitive collation, no Unicode"
            + " normalization, no trimming)");
  }

  @Test
  void load_unknownKey_isEmpty() {
    assertThat(store().load(fixture().key("never-saved"))).as(rule(
            "load of a key never saved is empty",
            "that load returns Optional.empty() (not an anonymous snapshot) when nothing is"
                + " stored"))
        .isEmpty();
  }

  @Test
  void load_otherKey_isEmptyAfterSave() {
    store().save(fixture().key("saved"), Samples.rich(), fixture().longTtl());
    assertThat(store().load(fixture().key("other"))).as(rule(
            "saving one key does not make another key loadable",
            "that the key is part of every lookup (no single-slot cache, no prefix matching)"))
        .isEmpty();
  }

  @Test
  void sameTaskId_inDifferentScopes_areSeparateEntries() {
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
  void delete_inOneScope_leavesTheOtherScope() {
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
  void keys_differingOnlyBySeparatorPlacement_neverCollide() {
    assertDistinct(List.of(
        fixture().key("a:b", "c"), fixture().key("a", "b:c"), fixture().key("a", ":b:c"),
        fixture().key("a:", "b:c"), fixture().key("a/b", "c"), fixture().key("a", "b/c"),
        fixture().key("a|b", "c"), fixture().key("a", "b|c"), fixture().key("a", "b")),
        injective("by where a separator character stands"));
  }

  @Test
  void keys_differingOnlyByEscapedForm_neverCollide() {
    assertDistinct(List.of(
        fixture().key("s", "a:b"), fixture().key("s", "a%3Ab"), fixture().key("s", "a%253Ab"),
        fixture().key("s", "{a}"), fixture().key("s", "%7Ba%7D"), fixture().key("s", "a%"),
        fixture().key("s", "a%25")),
        injective("in a character versus its escaped form (':' vs '%3A', '{' vs '%7B')"));
  }

  @Test
  void keys_differingOnlyByCase_neverCollide() {
    assertDistinct(List.of(fixture().key("s", "Task"), fixture().key("s", "task"),
        fixture().key("s", "TASK"), fixture().key("S", "task"), fixture().key("s", "straße"),
        fixture().key("s", "STRASSE")),
        injective("in letter case"));
  }

  @Test
  void keys_differingOnlyByUnicodeNormalization_neverCollide() {
    assertDistinct(List.of(
        fixture().key("s", "caf\u00E9"), fixture().key("s", "cafe\u0301"),
        fixture().key("s", "\u00C5"), fixture().key("s", "\u212B"),
        fixture().key("s", "\uFB01"), fixture().key("s", "fi"),
        fixture().key("s", "\uFF21"), fixture().key("s", "A"),
        fixture().key("s", "🙂"), fixture().key("s", "🙃")),
        injective("in Unicode normalization (NFC vs NFD, compatibility forms, emoji)"));
  }

  @Test
  void keys_differingOnlyByWhitespace_neverCollide() {
    assertDistinct(List.of(fixture().key("s", "a b"), fixture().key("s", "a  b"),
        fixture().key("s", "a\u00A0b"), fixture().key("s", "a "), fixture().key("s", " a"),
        fixture().key("s", "a")),
        injective("in whitespace (inner, leading, trailing, no-break space)"));
  }

  @Test
  void keys_ofMaximumLength_differingInTheLastChar_neverCollide() {
    var keys = new ArrayList<TaskKey>();
    String scope = fixture().key("x").scope();
    String longScope = scope + "-" + "s".repeat(TaskKey.MAX_LENGTH - scope.length() - 1);
    String base = "🙂".repeat((TaskKey.MAX_LENGTH - 1) / 2); // surrogate pairs up to the limit
    for (char last : new char[] {'a', 'b', 'A'}) {
      keys.add(new TaskKey(longScope, base + last));
    }
    assertDistinct(keys, injective("in the last character of a " + TaskKey.MAX_LENGTH
        + "-char scope and task id") + " (also check that long keys are not hashed or truncated"
        + " to a shorter prefix)");
  }

  @Test
  void save_toOneKey_leavesOtherKeysUnchanged() {
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
