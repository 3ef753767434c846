package dev.baton.tck;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators (QuickTheories) for the kit's properties: tokens with Unicode text, empty and large
 * scope lists, nested claims of every JSON type, absent optional fields and nanosecond instants;
 * and keys drawn from the characters that break key encodings.
 *
 * <p>Text is well-formed Unicode (no unpaired surrogates): it must survive UTF-8, as every store
 * that serializes needs. Every generator shrinks towards short, plain values (ASCII, few elements,
 * no nesting), so a failing sample is reported in its simplest form.
 */
final class TckGenerators {
  private TckGenerators() {}

  private static final List<Integer> TRICKY_CODE_POINTS = List.of(0x0, 0x9, 0xA, 0x22, 0x5C, 0x7F,
      0xE9, 0x301, 0x2028, 0xFEFF, 0xFFFD, 0xFFFF, 0x1F642, 0x1D11E, 0x10FFFF);

  /** Well-formed text, mostly ASCII, sometimes any code point (astral, controls, combining). */
  static Gen<String> text(int minLength, int maxLength) {
    Gen<Integer> ascii = integers().between(0x20, 0x7E);
    Gen<Integer> anyCodePoint = integers().between(0, 0x10FFFF - 0x800)
        .map(cp -> cp < Character.MIN_SURROGATE ? cp : cp + 0x800); // skips the surrogates
    Gen<Integer> tricky = Generate.pick(TRICKY_CODE_POINTS);
    Gen<Integer> codePoint = Generate.frequency(List.of(
        Pair.of(6, ascii), Pair.of(2, anyCodePoint), Pair.of(2, tricky)));
    return lists().of(codePoint).ofSizeBetween(minLength, maxLength).map(cps -> {
      var sb = new StringBuilder(cps.size() * 2);
      cps.forEach(sb::appendCodePoint);
      return sb.toString();
    });
  }

  static Gen<String> nonBlankText(int maxLength) {
    return text(1, maxLength).assuming(s -> !s.isBlank());
  }

  static Gen<Instant> instants() {
    Gen<Instant> any = longs().between(-2_208_988_800L, 253_402_300_799L) // 1900 .. 9999
        .zip(integers().between(0, 999_999_999), Instant::ofEpochSecond);
    Gen<Instant> edges = Generate.pick(List.of(Instant.EPOCH,
        Instant.parse("1969-12-31T23:59:59.999999999Z"),
        Instant.parse("2030-01-01T00:00:00.000000001Z")));
    return Generate.frequency(List.of(Pair.of(8, any), Pair.of(1, edges)));
  }

  /** A JSON value: string, integer, huge integer, exact decimal, boolean or null. */
  static Gen<Optional<Object>> claimLeaf() {
    Gen<Object> string = text(0, 40).map(s -> s);
    Gen<Object> integer = longs().all().map(l -> l);
    Gen<Object> huge = longs().all().zip(integers().between(0, 999_999_999),
        (high, low) -> BigInteger.valueOf(high).multiply(BigInteger.TEN.pow(9))
            .add(BigInteger.valueOf(low)).multiply(BigInteger.TEN.pow(3)));
    Gen<Object> decimal = longs().between(-1_000_000_000_000_000L, 1_000_000_000_000_000L)
        .map(unscaled -> BigDecimal.valueOf(unscaled, 6));
    Gen<Object> bool = Generate.booleans().map(b -> b);
    Gen<Optional<Object>> present = Generate.frequency(List.of(Pair.of(1, string),
            Pair.of(1, integer), Pair.of(1, huge), Pair.of(1, decimal), Pair.of(1, bool)))
        .map(Optional::of);
    return Generate.frequency(List.of(
        Pair.of(6, present), Pair.of(1, Generate.constant(Optional.<Object>empty()))));
  }

  /** A JSON value nested up to {@code depth} levels of lists and objects; empty means null. */
  static Gen<Optional<Object>> claimValue(int depth) {
    Gen<Optional<Object>> leaf = claimLeaf();
    if (depth == 0) {
      return leaf;
    }
    Gen<Optional<Object>> inner = claimValue(depth - 1);
    Gen<Optional<Object>> list = lists().of(inner).ofSizeBetween(0, 4)
        .map(values -> Optional.of(unwrapAll(values)));
    Gen<Optional<Object>> object = lists().of(text(0, 12).zip(inner, Pair::of))
        .ofSizeBetween(0, 4).map(entries -> Optional.of(toMap(entries)));
    return Generate.frequency(List.of(Pair.of(4, leaf), Pair.of(1, list), Pair.of(1, object)));
  }

  private static List<@Nullable Object> unwrapAll(List<Optional<Object>> values) {
    var out = new ArrayList<@Nullable Object>(values.size());
    values.forEach(v -> out.add(v.orElse(null)));
    return out;
  }

  private static Object toMap(List<Pair<String, Optional<Object>>> entries) {
    var out = new LinkedHashMap<String, @Nullable Object>();
    entries.forEach(e -> out.put(e._1, e._2.orElse(null)));
    return out;
  }

  static Gen<Map<String, @Nullable Object>> claims() {
    return lists().of(text(0, 16).zip(claimValue(3), Pair::of)).ofSizeBetween(0, 6)
        .map(entries -> {
          var out = new LinkedHashMap<String, @Nullable Object>();
          entries.forEach(e -> out.put(e._1, e._2.orElse(null)));
          return out;
        });
  }

  static Gen<List<String>> scopes() {
    Gen<List<String>> some = lists().of(nonBlankText(20)).ofSizeBetween(0, 8);
    Gen<List<String>> many = integers().between(100, 600).map(n -> {
      var out = new ArrayList<String>(n);
      for (int i = 0; i < n; i++) {
        out.add("s" + (n - i));
      }
      return out;
    });
    return Generate.frequency(List.of(Pair.of(2, Generate.constant(Collections.<String>emptyList())),
        Pair.of(7, some), Pair.of(1, many)));
  }

  private static <T> Gen<@Nullable T> orNull(Gen<T> gen, int percentNull) {
    return gen.toOptionals(percentNull).map(o -> o.orElse(null));
  }

  static Gen<AccessToken> tokens() {
    Gen<String> token = nonBlankText(300);
    Gen<String> clientId = nonBlankText(40);
    Gen<@Nullable Instant> expiresAt = orNull(instants(), 30);
    Gen<@Nullable String> resource = orNull(nonBlankText(60), 50);
    Gen<Pair<List<String>, Map<String, @Nullable Object>>> scopesAndClaims =
        scopes().zip(claims(), Pair::of);
    return token.zip(clientId, expiresAt, resource, (t, c, e, r) -> new Object[] {t, c, e, r})
        .zip(scopesAndClaims, (head, tail) -> new AccessToken((String) head[0],
            (String) head[1], tail._1, (Instant) head[2], (String) head[3], tail._2));
  }

  /**
   * Snapshots whose JSON stays well under the default size limit (the rare huge claim trees are
   * left out: the size limit has checks of its own).
   */
  static Gen<TokenSnapshot> snapshots() {
    return orNull(tokens(), 15).zip(instants(), TokenSnapshot::ofNullable)
        .assuming(s -> roughJsonBytes(s)
            < TokenSnapshotStoreVerification.DEFAULT_MAX_SNAPSHOT_BYTES / 4)
        .describedAs(SampleText::describe);
  }

  /** A generous estimate of a snapshot's JSON size: UTF-8 bytes, every char escaped at worst. */
  static long roughJsonBytes(TokenSnapshot snapshot) {
    return snapshot.accessToken().map(t -> {
      String resource = t.resource();
      long size = 200 + 6L * (t.token().length() + t.clientId().length()
          + (resource == null ? 0 : resource.length()));
      for (String scope : t.scopes()) {
        size += 6L * scope.length() + 3;
      }
      return size + roughJsonBytes(t.claims());
    }).orElse(100L);
  }

  private static long roughJsonBytes(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      long size = 2;
      for (var e : map.entrySet()) {
        size += roughJsonBytes(e.getKey()) + 2 + roughJsonBytes(e.getValue());
      }
      return size;
    }
    if (value instanceof List<?> list) {
      long size = 2;
      for (Object v : list) {
        size += roughJsonBytes(v) + 1;
      }
      return size;
    }
    if (value instanceof String s) {
      return 6L * s.length() + 2;
    }
    return String.valueOf(value).length();
  }

  /** Pieces of key text: separators, escapes, case pairs, normalization pairs, hash collisions. */
  static final List<String> KEY_PIECES = List.of(
      ":", "%", "%3A", "%25", "{", "}", "|", "/", "a", "A", "b", "B", " ", "\u00A0", "é",
      "e\u0301", "ß", "SS", "🙂", "\uFB01", "fi", "0", "-", ".", "*", "?", "\\", "Aa", "BB");

  /** Key parts assembled from {@link #KEY_PIECES}. */
  static Gen<String> keyPart() {
    return lists().of(Generate.pick(KEY_PIECES)).ofSizeBetween(1, 6)
        .map(l -> String.join("", l))
        .assuming(s -> !s.isBlank());
  }

  /** Two to twelve distinct keys (scope, task id) from {@link #keyPart()}. */
  static Gen<List<TaskKey>> distinctKeys() {
    return lists().of(keyPart().zip(keyPart(), TaskKey::new)).ofSizeBetween(2, 12)
        .map(keys -> List.copyOf(new LinkedHashSet<>(keys)))
        .assuming(keys -> keys.size() >= 2)
        .describedAs(keys -> SampleText.describe(keys.toString()));
  }
}
