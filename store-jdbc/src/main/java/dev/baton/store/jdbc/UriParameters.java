package dev.baton.store.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A store URI's query, read strictly: every parameter must be one this provider knows (its own, or
 * a driver parameter passed on by name), each at most once; order never matters. An unknown name
 * is refused with the known ones listed and a "did you mean" for case and underscore variants, so
 * that a typo such as {@code sealingkeys} cannot silently turn sealing off. Values are never echoed
 * (they may be passwords).
 */
final class UriParameters {
  private final Map<String, String> values;

  private UriParameters(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code query} (raw, percent-encoded; may be empty).
   *
   * @throws IllegalArgumentException for an unknown, repeated, nameless or undecodable parameter
   */
  static UriParameters parse(String scheme, String query, Set<String> known) {
    Map<String, String> values = new LinkedHashMap<>();
    if (!query.isEmpty()) {
      for (String parameter : query.split("&", -1)) {
        int eq = parameter.indexOf('=');
        String name = decode(scheme, eq < 0 ? parameter : parameter.substring(0, eq), "name");
        if (name.isEmpty()) {
          throw new IllegalArgumentException(scheme + " store uri has an empty parameter"
              + " (check for '&&' or a trailing '&')");
        }
        if (!known.contains(name)) {
          throw new IllegalArgumentException(unknown(scheme, name, known));
        }
        String value = eq < 0 ? "" : decode(scheme, parameter.substring(eq + 1), name);
        if (values.put(name, value) != null) {
          throw new IllegalArgumentException(scheme + " store uri sets parameter '" + name
              + "' more than once");
        }
      }
    }
    return new UriParameters(values);
  }

  /** The value of {@code name}, or null when absent. */
  @Nullable String get(String name) {
    return values.get(name);
  }

  /** The parameters that are in {@code names}, in URI order. */
  Map<String, String> only(Set<String> names) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (names.contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  private static String decode(String scheme, String raw, String what) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(scheme + " store uri has a malformed percent-escape in"
          + " parameter " + ("name".equals(what) ? "name" : "'" + what + "'"));
    }
  }

  private static String unknown(String scheme, String name, Set<String> known) {
    String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
    StringBuilder message = new StringBuilder(scheme + " store uri has unknown parameter '" + shown
        + "'");
    String wanted = loose(name);
    for (String candidate : known) {
      if (loose(candidate).equals(wanted)) {
        message.append(" (did you mean '").append(candidate).append("'?)");
        break;
      }
    }
    return message.append("; known parameters: ").append(new TreeSet<>(known)).toString();
  }

  /** A name without case, '_' and '-', to recognise near-misses. */
  private static String loose(String name) {
    return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }
}
