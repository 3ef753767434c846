package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The model-based check: a generated chain of save / load / delete / touch / take / advance-time
 * runs against the store and against a plain map with expiry deadlines, and every result must
 * agree; some time steps, and the end of every chain, load every key of the pool and compare. A failing chain is shrunk (fewer steps, smaller indices) and reported step by step.
 *
 * <h2>Time</h2>
 * Under manual time, TTLs are {@code n × unit − unit/2} and time advances in whole units, so every
 * check happens at least half a unit away from an expiry deadline: a store that rounds its TTL up
 * (by less than half a unit, as the contract allows) agrees with the model, one that rounds down
 * or ignores TTLs does not. The unit is {@code max(1 s, 2 × (granularity + margin)) + 1.234567 ms}, a
 * step aligned to no coarse unit.
 *
 * <p>Under real time the kit cannot jump ahead, and sleeping out TTLs in every chain would make
 * the property slow and flaky; so the chain has no advance-time action and uses TTLs far longer
 * than the chain runs. Expiry under real time is covered by the expiry checks.
 *
 * <h2>Keys and values</h2>
 * A small pool of keys that break weak encodings (same task id in two scopes, separator placement,
 * letter case, {@code String.hashCode} collisions) and a pool of snapshots (including anonymous and
 * a large one), so that collisions, lost overwrites and truncation show up within a few steps and
 * shrink to short chains.
 */
final class StatefulModel {
  static final List<String[]> KEY_PARTS = List.of(
      new String[] {"alice", "task-1"},
      new String[] {"bob", "task-1"},
      new String[] {"a:b", "c"},
      new String[] {"a", "b:c"},
      new String[] {"alice", "Task-1"},
      new String[] {"alice", "task-2"},
      new String[] {"alice", "Aa"},
      new String[] {"alice", "BB"});
  static final int VALUES = 5;
  static final int MAX_STEPS = 30;

  private StatefulModel() {}

  /** A model entry: the snapshot and the instant (in {@link StoreTime#nanos()}) it expires. */
  private record Entry(TokenSnapshot snapshot, long expiresAtNanos) {}

  /** The state of one chain: the fixture (store and time) and the model beside it. */
  static final class State {
    final Fixture fixture;
    final List<TaskKey> keys;
    final List<TokenSnapshot> values;
    final Duration unit;
    private final Map<TaskKey, Entry> model = new HashMap<>();

    State(Fixture fixture) {
      this.fixture = fixture;
      this.keys = KEY_PARTS.stream().map(p -> fixture.key(p[0], p[1])).toList();
      int big = fixture.maxSnapshotBytes.orElse(64 * 1024) / 4;
      this.values = List.of(Samples.numbered(1), Samples.numbered(2), Samples.anonymous(),
          Samples.rich(), Samples.withClaimOfLength(big));
      Duration span = fixture.granularity().plus(fixture.config.ttlMargin).multipliedBy(2);
      // Off every coarse boundary, so that time steps and TTLs are whole milliseconds of nothing.
      this.unit = (span.compareTo(Duration.ofSeconds(1)) > 0 ? span : Duration.ofSeconds(1))
          .plusNanos(1_234_567);
    }

    boolean manual() {
      return fixture.time.isManual();
    }

    Duration ttl(int units) {
      return manual() ? unit.multipliedBy(units).minus(unit.dividedBy(2)) : fixture.longTtl();
    }

    private Optional<TokenSnapshot> live(TaskKey key) {
      Entry e = model.get(key);
      if (e == null || fixture.time.nanos() >= e.expiresAtNanos()) {
        model.remove(key);
        return Optional.empty();
      }
      return Optional.of(e.snapshot());
    }

    void save(TaskKey key, TokenSnapshot value, int units) {
      Duration ttl = ttl(units);
      fixture.store().save(key, value, ttl);
      model.put(key, new Entry(value, fixture.time.nanos() + ttl.toNanos()));
    }

    void load(TaskKey key) {
      assertThat(fixture.store().load(key)).as(MESSAGE).isEqualTo(live(key));
    }

    void delete(TaskKey key) {
      boolean expected = live(key).isPresent();
      model.remove(key);
      assertThat(fixture.store().delete(key)).as(MESSAGE).isEqualTo(expected);
    }

    void touch(TaskKey key, int units) {
      Duration ttl = ttl(units);
      Optional<TokenSnapshot> current = live(key);
      boolean touched = fixture.store().touch(key, ttl);
      current.ifPresent(s -> model.put(key, new Entry(s, fixture.time.nanos() + ttl.toNanos())));
      assertThat(touched).as(MESSAGE).isEqualTo(current.isPresent());
    }

    void take(TaskKey key) {
      Optional<TokenSnapshot> expected = live(key);
      model.remove(key);
      assertThat(fixture.store().take(key)).as(MESSAGE).isEqualTo(expected);
    }

    /** Loads every key of the pool; a disagreement names the key. */
    void loadAll() {
      for (int i = 0; i < keys.size(); i++) {
        try {
          load(keys.get(i));
        } catch (AssertionError e) {
          throw new AssertionError("load(" + keyName(i) + ") disagreed with the model: "
              + e.getMessage(), e);
        }
      }
    }

    void advance(int units) {
      fixture.time.advance(unit.multipliedBy(units));
    }

    @Override
    public String toString() {
      return "StoreModel[" + model.size() + " entries, " + fixture.time + "]";
    }
  }

  private static final String MESSAGE = Checks.rule("every result agrees with a reference model"
          + " (a map with expiry deadlines)",
      "the failing step of the shrunk chain, and the named checks for that operation");

  // ---- operations -------------------------------------------------------------------------------

  /** One step of a chain. */
  sealed interface Op {
    void run(State state);
  }

  /** A key as it reads in a chain: its scope and task id, without the run prefix. */
  private static String keyName(int index) {
    return "key[" + KEY_PARTS.get(index)[0] + " / " + KEY_PARTS.get(index)[1] + "]";
  }

  record Save(int key, int value, int units) implements Op {
    @Override
    public void run(State s) {
      s.save(s.keys.get(key), s.values.get(value), units);
    }

    @Override
    public String toString() {
      return "save(" + keyName(key) + ", value#" + value + ", " + units + "u)";
    }
  }

  record Load(int key) implements Op {
    @Override
    public void run(State s) {
      s.load(s.keys.get(key));
    }

    @Override
    public String toString() {
      return "load(" + keyName(key) + ")";
    }
  }

  record Delete(int key) implements Op {
    @Override
    public void run(State s) {
      s.delete(s.keys.get(key));
    }

    @Override
    public String toString() {
      return "delete(" + keyName(key) + ")";
    }
  }

  record Touch(int key, int units) implements Op {
    @Override
    public void run(State s) {
      s.touch(s.keys.get(key), units);
    }

    @Override
    public String toString() {
      return "touch(" + keyName(key) + ", " + units + "u)";
    }
  }

  record Take(int key) implements Op {
    @Override
    public void run(State s) {
      s.take(s.keys.get(key));
    }

    @Override
    public String toString() {
      return "take(" + keyName(key) + ")";
    }
  }

  /** Moves time forward; with {@code thenLoadAll}, then compares every key with the model. */
  record Advance(int units, boolean thenLoadAll) implements Op {
    @Override
    public void run(State s) {
      s.advance(units);
      if (thenLoadAll) {
        s.loadAll();
      }
    }

    @Override
    public String toString() {
      return "advance(" + units + "u)" + (thenLoadAll ? ", then load every key" : "");
    }
  }

  // ---- chains -----------------------------------------------------------------------------------

  /** Chains of 1 to {@link #MAX_STEPS} operations; only the declared operations are drawn. */
  static Gen<List<Op>> chains(boolean touch, boolean take, boolean manual) {
    // Most steps reuse the first two keys, so that a chain often revisits a key it wrote.
    Gen<Integer> key = Generate.frequency(List.of(Pair.of(3, integers().between(0, 1)),
        Pair.of(2, integers().between(0, KEY_PARTS.size() - 1))));
    Gen<Integer> units = integers().between(1, 4);
    var ops = new ArrayList<Pair<Integer, Gen<Op>>>();
    ops.add(Pair.of(4, key.map(Load::new)));
    ops.add(Pair.of(4, key.zip(integers().between(0, VALUES - 1), units, Save::new)));
    ops.add(Pair.of(2, key.map(Delete::new)));
    if (touch) {
      ops.add(Pair.of(3, key.zip(units, Touch::new)));
    }
    if (take) {
      ops.add(Pair.of(2, key.map(Take::new)));
    }
    if (manual) {
      ops.add(Pair.of(3, integers().between(1, 3).zip(Generate.booleans(), Advance::new)));
    }
    return lists().of(Generate.frequency(ops)).ofSizeBetween(1, MAX_STEPS)
        .describedAs(StatefulModel::describe);
  }

  static String describe(List<Op> chain) {
    var out = new StringBuilder("a chain of ").append(chain.size()).append(" steps (u = time unit):");
    for (int i = 0; i < chain.size(); i++) {
      out.append("\n  ").append(i + 1).append(". ").append(chain.get(i));
    }
    return out.toString();
  }

  /** At most this many reruns go into {@link #minimize}. */
  static final int MINIMIZE_RUNS = 300;

  /**
   * Takes steps out of a failing chain while it still fails (one at a time, from the front, until
   * no single step can go or {@link #MINIMIZE_RUNS} reruns are spent), and cuts it after its
   * failing step: the shortest chain that shows the disagreement.
   */
  static List<Op> minimize(List<Op> chain, Supplier<Fixture> fixtures) {
    List<Op> current = chain;
    int runs = 0;
    boolean removed = true;
    while (removed && runs < MINIMIZE_RUNS) {
      removed = false;
      for (int i = 0; i < current.size() && runs < MINIMIZE_RUNS; i++) {
        var candidate = new ArrayList<Op>(current);
        candidate.remove(i);
        runs++;
        if (!candidate.isEmpty() && fails(candidate, fixtures)) {
          current = List.copyOf(candidate);
          removed = true;
          i--;
        }
      }
    }
    return current;
  }

  private static boolean fails(List<Op> chain, Supplier<Fixture> fixtures) {
    try {
      run(chain, fixtures);
      return false;
    } catch (AssertionError | RuntimeException e) {
      return true;
    }
  }

  /** Runs {@code chain} on a fresh fixture; a failure names the step that disagreed. */
  static void run(List<Op> chain, Supplier<Fixture> fixtures) {
    try (Fixture fixture = fixtures.get()) {
      State state = new State(fixture);
      for (int i = 0; i < chain.size(); i++) {
        Op op = chain.get(i);
        try {
          op.run(state);
        } catch (AssertionError | RuntimeException e) {
          AssertionError failure = new AssertionError("step " + (i + 1) + ", " + op
              + ", disagreed with the model: " + e.getMessage(), e);
          throw failure;
        }
      }
      try {
        state.loadAll();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("after the last step, " + e.getMessage(), e);
      }
    }
  }
}
