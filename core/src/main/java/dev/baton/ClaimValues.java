package dev.baton;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Deep-copies claim values into the JSON data model, so that what a task sees is exactly what a
 * codec round trip gives back.
 *
 * <p>Numbers are normalized because JSON has one number type: integral values become {@link Long}
 * (or {@link BigInteger} when out of range), other values become {@link BigDecimal}. Without this, a
 * claim saved as {@code Integer 1} would come back from a serializing store as {@code Long 1} and
 * the in-memory and Redis stores would disagree.
 */
final class ClaimValues {
  /** Digits beyond this are rejected: enough for every double, and codecs bound numbers too. */
  static final int MAX_NUMBER_DIGITS = 400;

  private ClaimValues() {}

  static Map<String, @Nullable Object> copyClaims(Map<String, ? extends @Nullable Object> claims) {
    return copyMap(claims, "claims", 0);
  }

  private static Map<String, @Nullable Object> copyMap(
      Map<?, ? extends @Nullable Object> map, String path, int depth) {
    checkDepth(path, depth);
    var copy = new LinkedHashMap<String, @Nullable Object>(Math.max(4, map.size() * 2));
    for (var entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String name)) {
        throw new IllegalArgumentException(
            path + " must have String keys, found " + typeName(entry.getKey()));
      }
      requireWellFormed(name, path + " key");
      copy.put(name, copyValue(entry.getValue(), path + "." + name, depth + 1));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static List<@Nullable Object> copyList(
      List<? extends @Nullable Object> list, String path, int depth) {
    checkDepth(path, depth);
    var copy = new ArrayList<@Nullable Object>(list.size());
    for (int i = 0; i < list.size(); i++) {
      copy.add(copyValue(list.get(i), path + "[" + i + "]", depth + 1));
    }
    return Collections.unmodifiableList(copy);
  }

  private static @Nullable Object copyValue(@Nullable Object value, String path, int depth) {
    if (value instanceof String string) {
      requireWellFormed(string, path);
      return string;
    }
    if (value == null || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number number) {
      return normalize(number, path);
    }
    if (value instanceof Map<?, ?> map) {
      return copyMap(map, path, depth);
    }
    if (value instanceof List<?> list) {
      return copyList(list, path, depth);
    }
    throw new IllegalArgumentException(
        path + " must be a JSON value (String, Number, Boolean, null, List or Map), found "
            + typeName(value));
  }

  static Number normalize(Number number, String path) {
    if (number instanceof Long || number instanceof Integer || number instanceof Short
        || number instanceof Byte || number instanceof AtomicInteger
        || number instanceof AtomicLong) {
      return number.longValue();
    }
    BigDecimal decimal;
    if (number instanceof BigInteger big) {
      decimal = new BigDecimal(big);
    } else if (number instanceof BigDecimal big) {
      decimal = big;
    } else if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(path + " must be a finite number, found " + d);
      }
      decimal = number instanceof Float ? new BigDecimal(number.toString()) : BigDecimal.valueOf(d);
    } else {
      throw new IllegalArgumentException(
          path + " must be a standard java.lang/java.math number, found " + typeName(number));
    }
    // Bounded before toBigIntegerExact: 1E+999999999 is short to write and huge to expand.
    if (decimal.precision() > MAX_NUMBER_DIGITS
        || Math.abs((long) decimal.scale()) > MAX_NUMBER_DIGITS) {
      throw new IllegalArgumentException(
          path + " must have at most " + MAX_NUMBER_DIGITS + " digits and exponent magnitude");
    }
    if (decimal.scale() > 0) {
      return decimal;
    }
    BigInteger integral = decimal.toBigIntegerExact();
    return integral.bitLength() < Long.SIZE ? (Number) integral.longValue() : integral;
  }

  private static void checkDepth(String path, int depth) {
    if (depth > AccessToken.MAX_CLAIM_DEPTH) {
      throw new IllegalArgumentException(
          path + " nests deeper than " + AccessToken.MAX_CLAIM_DEPTH + " levels");
    }
  }

  /** Rejects unpaired surrogates: no UTF-8 encoding (and so no store) can keep them. */
  static void requireWellFormed(String value, String path) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            path + " must not contain an unpaired surrogate (at index " + i + ")");
      }
    }
  }

  private static String typeName(@Nullable Object value) {
    return value == null ? "null" : value.getClass().getName();
  }
}
