package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * The model-based check: a random chain of save / load / delete / touch / take / advance-time runs
 * against the store and against a plain map with expiry deadlines, and every result must agree.
 *
 * <h2>Time</h2>
 * Under manual time, TTLs are {@code n × unit − unit/2} and time advances in whole units, so every
 * check happens at least half a unit away from an expiry deadline: a store that rounds its TTL up
 * (by less than half a unit, as the contract allows) agrees with the model, one that rounds down
 * or ignores TTLs does not. The unit is {@code max(1 s, 2 × (granularity + margin))}.
 *
 * <p>Under real time the kit cannot jump ahead, and sleeping out TTLs in every chain would make
 * the property slow and flaky; so the chain has no advance-time action and uses TTLs far longer
 * than the chain runs. Expiry under real time is covered by the expiry checks, which poll.
 *
 * <h2>Keys and values</h2>
 * A small pool of keys that break weak encodings (same task id in two scopes, separator placement,
 * letter case) and a pool of snapshots (including anonymous and a large one), so that collisions,
 * lost overwrites and truncation show up within a few steps and shrink to short chains.
 */
final class StatefulModel {
  private static final List<String[]> KEY_PARTS = List.of(
      new String[] {"alice", "task-1"},
      new String[] {"bob", "task-1"},
      new String[] {"a:b", "c"},
      new String[] {"a", "b:c"},
      new String[] {"alice", "Task-1"},
      new String[] {"alice", "task-2"});

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
      this.unit = span.compareTo(Duration.ofSeconds(1)) > 0 ? span : Duration.ofSeconds(1);
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
      assertThat(fixture.store().load(key)).as(message("load(" + key + ")"))
          .isEqualTo(live(key));
    }

    void delete(TaskKey key) {
      boolean expected = live(key).isPresent();
      model.remove(key);
      assertThat(fixture.store().delete(key)).as(message("delete(" + key + ")"))
          .isEqualTo(expected);
    }

    void touch(TaskKey key, int units) {
      Duration ttl = ttl(units);
      Optional<TokenSnapshot> current = live(key);
      boolean touched = fixture.store().touch(key, ttl);
      current.ifPresent(s -> model.put(key, new Entry(s, fixture.time.nanos() + ttl.toNanos())));
      assertThat(touched).as(message("touch(" + key + ", " + ttl + ")"))
          .isEqualTo(current.isPresent());
    }

    void take(TaskKey key) {
      Optional<TokenSnapshot> expected = live(key);
      model.remove(key);
      assertThat(fixture.store().take(key)).as(message("take(" + key + ")"))
          .isEqualTo(expected);
    }

    void advance(int units) {
      fixture.time.advance(unit.multipliedBy(units));
    }

    private static String message(String operation) {
      return Checks.rule("every result agrees with a reference model (a map with expiry"
              + " deadlines): " + operation + " disagreed after the steps above",
          "the failing operation in the shrunk chain, and the named checks for that operation");
    }

    @Override
    public String toString() {
      return "StoreModel[" + model.size() + " entries, " + fixture.time + "]";
    }
  }

  /** Chains of up to {@code maxSteps} actions on a fresh fixture from {@code fixtures}. */
  static ActionChainArbitrary<State> chains(
      java.util.function.Supplier<Fixture> fixtures, int maxSteps, boolean touch, boolean take,
      boolean manual) {
    ActionChainArbitrary<State> chains =
        ActionChain.<State>startWith(() -> new State(fixtures.get()))
        .withAction(4, new Save())
        .withAction(4, new Load())
        .withAction(2, new Delete());
    if (touch) {
      chains = chains.withAction(2, new Touch());
    }
    if (take) {
      chains = chains.withAction(2, new Take());
    }
    if (manual) {
      chains = chains.withAction(3, new Advance());
    }
    return chains.withMaxTransformations(maxSteps);
  }

  private static Arbitrary<Integer> keyIndex(State s) {
    return Arbitraries.integers().between(0, s.keys.size() - 1);
  }

  /** A key as it reads in a chain's description: its scope and task id, without the run prefix. */
  private static String keyName(int index) {
    return "key[" + KEY_PARTS.get(index)[0] + " / " + KEY_PARTS.get(index)[1] + "]";
  }

  private static final class Save implements Action.Dependent<State> {
    @Override
    public Arbitrary<Transformer<State>> transformer(State s) {
      return Combinators.combine(keyIndex(s),
              Arbitraries.integers().between(0, s.values.size() - 1),
              Arbitraries.integers().between(1, 4))
          .as((k, v, units) -> Transformer.mutate(
              "save(" + keyName(k) + ", value#" + v + ", " + units + "u)",
              state -> state.save(state.keys.get(k), state.values.get(v), units)));
    }
  }

  private static final class Load implements Action.Dependent<State> {
    @Override
    public Arbitrary<Transformer<State>> transformer(State s) {
      return keyIndex(s).map(k -> Transformer.mutate("load(" + keyName(k) + ")",
          state -> state.load(state.keys.get(k))));
    }
  }

  private static final class Delete implements Action.Dependent<State> {
    @Override
    public Arbitrary<Transformer<State>> transformer(State s) {
      return keyIndex(s).map(k -> Transformer.mutate("delete(" + keyName(k) + ")",
          state -> state.delete(state.keys.get(k))));
    }
  }

  private static final class Touch implements Action.Dependent<State> {
    @Override
    public Arbitrary<Transformer<State>> transformer(State s) {
      return Combinators.combine(keyIndex(s), Arbitraries.integers().between(1, 4))
          .as((k, units) -> Transformer.mutate("touch(" + keyName(k) + ", " + units + "u)",
              state -> state.touch(state.keys.get(k), units)));
    }
  }

  private static final class Take implements Action.Dependent<State> {
    @Override
    public Arbitrary<Transformer<State>> transformer(State s) {
      return keyIndex(s).map(k -> Transformer.mutate("take(" + keyName(k) + ")",
          state -> state.take(state.keys.get(k))));
    }
  }

  private static final class Advance implements Action.Independent<State> {
    @Override
    public Arbitrary<Transformer<State>> transformer() {
      return Arbitraries.integers().between(1, 3).map(units -> Transformer.mutate(
          "advance(" + units + "u)", state -> state.advance(units)));
    }
  }
}
