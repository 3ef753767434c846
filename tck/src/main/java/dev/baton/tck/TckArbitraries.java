package dev.baton.tck;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.jspecify.annotations.Nullable;

/**
 * Generators for the kit's properties: tokens with Unicode text, empty and large scope lists,
 * nested claims of every JSON type, absent optional fields and nanosecond instants; and keys drawn
 * from the characters that break key encodings.
 *
 * <p>Text is well-formed Unicode (no unpaired surrogates): it must survive UTF-8, as every store
 * that serializes needs.
 */
final class TckArbitraries {
  private TckArbitraries() {}

  /** Well-formed text, mostly ASCII, sometimes any code point (astral, controls, combining). */
  static Arbitrary<String> text(int minLength, int maxLength) {
    Arbitrary<Integer> ascii = Arbitraries.integers().between(0x20, 0x7E);
    Arbitrary<Integer> anyCodePoint = Arbitraries.integers().between(0, 0x10FFFF)
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
    Arbitrary<Integer> tricky = Arbitraries.of(0x0, 0x9, 0xA, 0x22, 0x5C, 0x7F, 0xE9, 0x301, 0x2028,
        0xFEFF, 0xFFFD, 0xFFFF, 0x1F642, 0x1D11E, 0x10FFFF);
    Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(List.of(
        Tuple.of(6, ascii), Tuple.of(2, anyCodePoint), Tuple.of(2, tricky)));
    return codePoint.list().ofMinSize(minLength).ofMaxSize(maxLength).map(cps -> {
      var sb = new StringBuilder(cps.size() * 2);
      cps.forEach(sb::appendCodePoint);
      return sb.toString();
    });
  }

  static Arbitrary<String> nonBlankText(int maxLength) {
    return text(1, maxLength).filter(s -> !s.isBlank());
  }

  static Arbitrary<Instant> instants() {
    Arbitrary<Instant> any = Combinators.combine(
            Arbitraries.longs().between(-2_208_988_800L, 253_402_300_799L), // 1900 .. 9999
            Arbitraries.integers().between(0, 999_999_999))
        .as(Instant::ofEpochSecond);
    return Arbitraries.frequencyOf(List.of(
        Tuple.of(8, any),
        Tuple.of(1, Arbitraries.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
            Instant.parse("2030-01-01T00:00:00.000000001Z")))));
  }

  static Arbitrary<Object> claimValue() {
    Arbitrary<Object> leaf = Arbitraries.oneOf(List.of(
        text(0, 40).map(s -> (Object) s),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(20).negate(), BigInteger.TEN.pow(30))
            .map(b -> (Object) b),
        Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
            .ofScale(6).map(b -> (Object) b),
        Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b),
        Arbitraries.just("null").map(s -> (Object) JsonNull.INSTANCE)));
    return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(List.of(
            inner,
            inner.list().ofMaxSize(4).map(l -> (Object) l),
            Arbitraries.maps(text(0, 12), inner).ofMaxSize(4).map(m -> (Object) m))),
        0, 4);
  }

  /** A stand-in for JSON null: jqwik arbitraries cannot yield null elements inside collections. */
  enum JsonNull { INSTANCE }

  private static @Nullable Object unwrapNulls(@Nullable Object value) {
    if (value == JsonNull.INSTANCE) {
      return null;
    }
    if (value instanceof List<?> list) {
      var out = new ArrayList<@Nullable Object>(list.size());
      list.forEach(v -> out.add(unwrapNulls(v)));
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      var out = new LinkedHashMap<Object, @Nullable Object>();
      map.forEach((k, v) -> out.put(k, unwrapNulls(v)));
      return out;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  static Arbitrary<Map<String, @Nullable Object>> claims() {
    return Arbitraries.maps(text(0, 16), claimValue()).ofMaxSize(6)
        .map(m -> (Map<String, @Nullable Object>) unwrapNulls(m));
  }

  static Arbitrary<List<String>> scopes() {
    Arbitrary<List<String>> some = nonBlankText(20).list().ofMaxSize(8);
    Arbitrary<List<String>> many = Arbitraries.integers().between(100, 600)
        .map(n -> {
          var out = new ArrayList<String>(n);
          for (int i = 0; i < n; i++) {
            out.add("s" + (n - i));
          }
          return out;
        });
    return Arbitraries.frequencyOf(List.of(
        Tuple.of(2, Arbitraries.just(Collections.<String>emptyList())),
        Tuple.of(7, some),
        Tuple.of(1, many)));
  }

  static Arbitrary<AccessToken> tokens() {
    return Combinators.combine(
            nonBlankText(300), nonBlankText(40), scopes(),
            instants().injectNull(0.3), nonBlankText(60).injectNull(0.5), claims())
        .as(AccessToken::new);
  }

  /**
   * Snapshots whose JSON stays well under the default size limit (the rare huge claim trees are
   * filtered out: the size limit has checks of its own).
   */
  static Arbitrary<TokenSnapshot> snapshots() {
    return Combinators.combine(tokens().injectNull(0.15), instants())
        .as(TokenSnapshot::ofNullable)
        .filter(s -> roughJsonBytes(s)
            < TokenSnapshotStoreVerification.DEFAULT_MAX_SNAPSHOT_BYTES / 4);
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

  /** Key parts from an alphabet of separators, escapes, case pairs and normalization pairs. */
  static Arbitrary<String> keyPart() {
    Arbitrary<String> piece = Arbitraries.of(
        ":", "%", "%3A", "%25", "{", "}", "|", "/", "a", "A", "b", "B", " ", "\u00A0", "é",
        "e\u0301",
        "ß", "SS", "🙂", "\uFB01", "fi", "0", "-", ".", "*", "?", "\\");
    return piece.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("", l))
        .filter(s -> !s.isBlank());
  }

  static Arbitrary<List<TaskKey>> distinctKeys() {
    return Combinators.combine(keyPart(), keyPart()).as(TaskKey::new)
        .list().ofMinSize(2).ofMaxSize(12).uniqueElements();
  }
}
