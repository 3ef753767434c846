package dev.baton.spring.boot;

import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns the claims Spring Security hands out back into JSON values for
 * {@link dev.baton.AccessToken#fromClaims}: Spring's converters turn {@code exp}, {@code iat} and
 * {@code nbf} into {@link Instant}s (back to seconds since the epoch), {@code iss} possibly into a
 * {@link URL} (back to its string) and arrays into collections. This undoes Spring's typing only;
 * it parses nothing.
 */
final class JsonClaims {
  private JsonClaims() {}

  /**
   * The claims as JSON values.
   *
   * @throws IllegalArgumentException if a claim holds a value of a type JSON has no form for (the
   *     message names the claim and the type, never the value)
   */
  static Map<String, Object> of(Map<String, Object> claims) {
    var json = new LinkedHashMap<String, Object>();
    claims.forEach((name, value) -> json.put(name, toJson(name, value)));
    return json;
  }

  private static @Nullable Object toJson(String claim, @Nullable Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Number) {
      return value;
    }
    if (value instanceof Instant instant) {
      return instant.getEpochSecond();
    }
    if (value instanceof URL || value instanceof URI) {
      return value.toString();
    }
    if (value instanceof Collection<?> collection) {
      List<@Nullable Object> list = new ArrayList<>(collection.size());
      for (Object element : collection) {
        list.add(toJson(claim, element));
      }
      return list;
    }
    if (value instanceof Map<?, ?> map) {
      var object = new LinkedHashMap<String, @Nullable Object>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "claim '" + claim + "' holds an object with a non-string member name");
        }
        object.put(key, toJson(claim, entry.getValue()));
      }
      return object;
    }
    throw new IllegalArgumentException(
        "claim '" + claim + "' holds a " + value.getClass().getName()
            + ", which has no JSON form; map it to a JSON value in the JWT or introspection converter");
  }
}
