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

  private ClaimValues() {}

  static Map<String, @Nullable Object> copyClaims(Map<String, ? extends @Nullable Object> claims) {
    return copyMap(claims, "claims", 0);
  }

  // Paths name a claim in messages only: a value's path is built when it is refused, a
  // container's when it is entered, so a valid leaf costs no string.
  private static Map<String, @Nullable Object> copyMap(
      Map<?, ? extends @Nullable Object> map, String path, int depth) {
    checkDepth(path, depth);
    var copy = new LinkedHashMap<String, @Nullable Object>(Math.max(4, map.size() * 2));
    for (var entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String name)) {
        throw new IllegalArgumentException(
            path + " must have String keys, found " + typeName(entry.getKey()));
      }
      int unpaired = Utf16.unpairedSurrogateAt(name);
      if (unpaired >= 0) {
        throw Utf16.unpairedSurrogate(path + " key", unpaired);
      }
      copy.put(name, copyValue(entry.getValue(), path, name, -1, depth + 1));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static List<@Nullable Object> copyList(
      List<? extends @Nullable Object> list, String path, int depth) {
    checkDepth(path, depth);
    var copy = new ArrayList<@Nullable Object>(list.size());
    for (int i = 0; i < list.size(); i++) {
      copy.add(copyValue(list.get(i), path, null, i, depth + 1));
    }
    return Collections.unmodifiableList(copy);
  }

  /** The value at {@code parent.name}, or {@code parent[index]} when {@code name} is null. */
  private static @Nullable Object copyValue(@Nullable Object value, String parent,
      @Nullable String name, int index, int depth) {
    if (value instanceof String string) {
      int unpaired = Utf16.unpairedSurrogateAt(string);
      if (unpaired >= 0) {
        throw Utf16.unpairedSurrogate(path(parent, name, index), unpaired);
      }
      return string;
    }
    if (value == null || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long) {
      return value; // already normalized (the common case: no path needed)
    }
    if (value instanceof Number number) {
      return normalize(number, path(parent, name, index));
    }
    if (value instanceof Map<?, ?> map) {
      return copyMap(map, path(parent, name, index), depth);
    }
    if (value instanceof List<?> list) {
      return copyList(list, path(parent, name, index), depth);
    }
    throw new IllegalArgumentException(path(parent, name, index)
        + " must be a JSON value (String, Number, Boolean, null, List or Map), found "
        + typeName(value));
  }

  private static String path(String parent, @Nullable String name, int index) {
    return name != null ? parent + "." + name : parent + "[" + index + "]";
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
    int max = AccessToken.MAX_CLAIM_NUMBER_LENGTH;
    if (decimal.precision() > max || Math.abs((long) decimal.scale()) > max) {
      throw tooLong(path);
    }
    Number normalized;
    if (decimal.scale() > 0) {
      normalized = decimal;
    } else {
      BigInteger integral = decimal.toBigIntegerExact();
      normalized = integral.bitLength() < Long.SIZE ? (Number) integral.longValue() : integral;
    }
    // The length a codec writes: every accepted number must be encodable.
    if (normalized.toString().length() > max) {
      throw tooLong(path);
    }
    return normalized;
  }

  private static IllegalArgumentException tooLong(String path) {
    return new IllegalArgumentException(path + " must be a number of at most "
        + AccessToken.MAX_CLAIM_NUMBER_LENGTH + " characters as JSON");
  }

  private static void checkDepth(String path, int depth) {
    if (depth > AccessToken.MAX_CLAIM_DEPTH) {
      throw new IllegalArgumentException(
          path + " nests deeper than " + AccessToken.MAX_CLAIM_DEPTH + " levels");
    }
  }

  private static String typeName(@Nullable Object value) {
    return value == null ? "null" : value.getClass().getName();
  }
}
