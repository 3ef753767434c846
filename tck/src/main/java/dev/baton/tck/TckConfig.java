package dev.baton.tck;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The kit's tunables, read from system properties in one place (so a slow CI can widen them
 * without code changes, e.g. {@code -Dbaton.tck.timeout=30s}).
 *
 * <table>
 *   <caption>System properties</caption>
 *   <tr><th>property<th>default<th>meaning
 *   <tr><td>{@code baton.tck.timeout}<td>10s<td>how long to wait for threads, recovery, polling
 *   <tr><td>{@code baton.tck.ttlMargin}<td>manual: the granularity; real time: max(2 &times;
 *       granularity, 20ms)<td>how late after its TTL an entry may still be seen
 *   <tr><td>{@code baton.tck.shortTtl}<td>real time only: max(50ms, 4 &times; granularity)
 *       <td>the TTL of entries that a check waits to expire
 *   <tr><td>{@code baton.tck.concurrency}<td>max(4, 2 &times; processors)<td>threads per race
 *   <tr><td>{@code baton.tck.rounds}<td>50<td>repetitions of each race
 *   <tr><td>{@code baton.tck.tries}<td>100 (model-based: 100 chains)<td>tries of each property
 * </table>
 *
 * <p>Durations are written {@code 250ms}, {@code 10s}, {@code 2m}, {@code 500us}, {@code 100ns},
 * or ISO-8601 ({@code PT10S}).
 */
final class TckConfig {
  static final String TIMEOUT = "baton.tck.timeout";
  static final String TTL_MARGIN = "baton.tck.ttlMargin";
  static final String SHORT_TTL = "baton.tck.shortTtl";
  static final String CONCURRENCY = "baton.tck.concurrency";
  static final String ROUNDS = "baton.tck.rounds";
  static final String TRIES = "baton.tck.tries";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final int DEFAULT_ROUNDS = 50;

  private static final Pattern SIMPLE_DURATION =
      Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h)");

  final TimeControl time;
  final Duration timeout;
  final Duration ttlMargin;
  final Duration shortTtl;
  final int concurrency;
  final int rounds;
  final Optional<Integer> tries;

  private TckConfig(TimeControl time, Function<String, @Nullable String> properties) {
    this.time = time;
    Duration granularity = time.granularity();
    this.timeout = duration(properties, TIMEOUT).orElse(DEFAULT_TIMEOUT);
    this.ttlMargin = duration(properties, TTL_MARGIN)
        .orElse(time.isManual()
            ? granularity
            : max(granularity.multipliedBy(2), Duration.ofMillis(20)));
    // Manual time costs nothing to advance: TTLs are long and deliberately not whole seconds, so
    // that a store truncating to seconds is caught.
    this.shortTtl = duration(properties, SHORT_TTL)
        .orElse(time.isManual()
            ? max(Duration.ofMillis(2_500), granularity.multipliedBy(5))
            : max(Duration.ofMillis(50), granularity.multipliedBy(4)));
    this.concurrency = integer(properties, CONCURRENCY)
        .orElse(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    this.rounds = integer(properties, ROUNDS).orElse(DEFAULT_ROUNDS);
    this.tries = integer(properties, TRIES);
  }

  /** The configuration for a store with the given time control, from system properties. */
  static TckConfig load(TimeControl time) {
    return new TckConfig(time, System::getProperty);
  }

  /** A TTL long enough that nothing expires while a check runs. */
  Duration longTtl() {
    return max(Duration.ofMinutes(10), timeout.multipliedBy(6));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  static Optional<Duration> duration(Function<String, @Nullable String> properties, String name) {
    String raw = properties.apply(name);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    String value = raw.trim().toLowerCase(Locale.ROOT);
    Duration parsed;
    Matcher m = SIMPLE_DURATION.matcher(value);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        parsed = switch (m.group(2)) {
          case "ns" -> Duration.ofNanos(n);
          case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1_000L));
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      } else {
        parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "system property " + name + " must be a duration such as 250ms, 10s or PT10S: " + raw, e);
    }
    if (parsed.isNegative() || parsed.isZero()) {
      throw new IllegalArgumentException("system property " + name + " must be positive: " + raw);
    }
    return Optional.of(parsed);
  }

  static Optional<Integer> integer(Function<String, @Nullable String> properties, String name) {
    String raw = properties.apply(name);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "system property " + name + " must be a positive integer: " + raw, e);
    }
    if (value <= 0) {
      throw new IllegalArgumentException("system property " + name + " must be positive: " + raw);
    }
    return Optional.of(value);
  }

  @Override
  public String toString() {
    return "TckConfig[" + time + ", timeout=" + timeout + ", ttlMargin=" + ttlMargin
        + ", shortTtl=" + shortTtl + ", concurrency=" + concurrency + ", rounds=" + rounds
        + ", tries=" + tries.map(String::valueOf).orElse("default") + "]";
  }
}
