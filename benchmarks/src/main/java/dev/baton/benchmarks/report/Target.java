package dev.baton.benchmarks.report;

import java.util.Objects;

/**
 * One target of issue 17, evaluated against a run's outputs: what was measured, the limit, and
 * whether the limit was met. A target whose inputs the run did not produce is
 * {@link Verdict#NOT_EVALUATED}, with the reason; it is never given a made-up figure.
 *
 * @param id short name, e.g. {@code 1.calling-thread}
 * @param what the target in words
 * @param measured the measured figure (a ratio, ns or bytes); NaN when not evaluated
 * @param error the figure's 99.9% half-width when known, else NaN
 * @param direction whether the figure must stay at most or at least {@code limit}
 * @param limit the target's limit
 * @param unit how to read the figure: {@code x} for a ratio, or a unit
 * @param verdict met, missed, or not evaluated
 * @param note why not evaluated, or that the error interval includes the limit; may be empty
 * @param peerRatio whether the figure is a ratio of Baton to a peer (such targets are charted)
 */
public record Target(String id, String what, double measured, double error, Direction direction,
    double limit, String unit, Verdict verdict, String note, boolean peerRatio) {

  /** Met, missed, or not evaluated (the run lacks what it needs). */
  public enum Verdict {
    MET, MISSED, NOT_EVALUATED
  }

  /** Which side of the limit the figure must stay on. */
  public enum Direction {
    AT_MOST("≤"), AT_LEAST("≥");

    final String symbol;

    Direction(String symbol) {
      this.symbol = symbol;
    }
  }

  public Target {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(note, "note");
  }

  /** Evaluates {@code measured ± error} against the limit. */
  static Target evaluate(String id, String what, double measured, double error,
      Direction direction, double limit, String unit, boolean peerRatio) {
    if (Double.isNaN(measured)) {
      return notEvaluated(id, what, direction, limit, unit, "the run produced no figure",
          peerRatio);
    }
    boolean met = direction == Direction.AT_MOST ? measured <= limit : measured >= limit;
    String note = "";
    if (!Double.isNaN(error) && measured - error <= limit && limit <= measured + error) {
      note = "the limit is within the error interval: not resolved by this run";
    }
    return new Target(id, what, measured, error, direction, limit, unit,
        met ? Verdict.MET : Verdict.MISSED, note, peerRatio);
  }

  static Target notEvaluated(String id, String what, Direction direction, double limit,
      String unit, String why, boolean peerRatio) {
    return new Target(id, what, Double.NaN, Double.NaN, direction, limit, unit,
        Verdict.NOT_EVALUATED, why, peerRatio);
  }

  /**
   * For the chart: Baton's cost relative to the peer's (1 = the same; above 1, Baton is slower),
   * for the figure and for the limit. A rate ratio (at least) is inverted into a cost ratio.
   */
  double costRatio() {
    return direction == Direction.AT_LEAST ? 1 / measured : measured;
  }

  double costLimit() {
    return direction == Direction.AT_LEAST ? 1 / limit : limit;
  }
}
