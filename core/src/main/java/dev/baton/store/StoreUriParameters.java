package dev.baton.store;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters of a store URI, parsed strictly: for {@link TokenSnapshotStoreProvider}
 * implementations, so that a typo in a store URI is an error and never a silently ignored setting
 * (a misspelt {@code sealingKeys} must not store tokens in plain text).
 *
 * <p>Rules of {@link #parse(String, URI, Collection, Collection)}:
 * <ul>
 *   <li>The query is {@code name=value} pairs separated by {@code &}; empty pairs ({@code a=1&&b=2},
 *       a trailing {@code &}) carry nothing and are skipped. A pair without {@code =} is refused.
 *   <li>Names and values are percent-decoded as UTF-8 ({@code %2F} is {@code /}); {@code +} stays a
 *       plus sign (RFC 3986, not HTML forms). A malformed escape or invalid UTF-8 is refused.
 *   <li>Names are case-sensitive and must be one of the known names; an unknown name is refused with
 *       a message naming it, suggesting the known name it most likely means (case, {@code _},
 *       {@code -}, a plural {@code s} or a typo or two apart: {@code sealingkeys},
 *       {@code sealing_keys} and {@code sealingKey} all suggest {@code sealingKeys}) and listing the
 *       known names.
 *   <li>A name given twice is refused, whatever the values.
 *   <li>Order never matters: the result is a set of named values; providers read them by name.
 * </ul>
 *
 * <p><b>Secrecy:</b> no message of this class quotes a value from the query, except
 * {@link #invalid(String, String)}, which quotes the value of a parameter only when the parameter is
 * not secret. A parameter is secret when the provider declares it so, or when its name suggests a
 * secret (it contains {@code password}, {@code passwd}, {@code secret}, {@code token},
 * {@code credential}, or ends with {@code key} or {@code keys}, ignoring case). {@link #toString()}
 * masks secret values. Unknown names are quoted (shortened to 40 characters, control characters
 * replaced) so that the user can find the typo.
 *
 * <p>Instances are immutable and thread-safe. Typical use in a provider:
 *
 * <pre>{@code
 * StoreUriParameters parameters = StoreUriParameters.parse("memory", uri,
 *     List.of("maximumSize", "mode", "sealingKeys"), List.of("sealingKeys"));
 * parameters.get("mode").ifPresent(mode -> {
 *   if (!mode.equals("object") && !mode.equals("bytes")) {
 *     throw parameters.invalid("mode", "must be 'object' or 'bytes'");
 *   }
 * });
 * }</pre>
 */
public final class StoreUriParameters {
  private static final int MAX_QUOTED_NAME = 40;
  private static final int MAX_SUGGESTION_DISTANCE = 2;

  private final String store;
  private final Set<String> known;
  private final Set<String> secret;
  private final Map<String, String> values;
  private final Map<String, String> rawValues;

  private StoreUriParameters(String store, Set<String> known, Set<String> secret,
      Map<String, String> values, Map<String, String> rawValues) {
    this.store = store;
    this.known = known;
    this.secret = secret;
    this.values = values;
    this.rawValues = rawValues;
  }

  /**
   * Parses the query of {@code uri}, for a URI with an authority ({@code redis://host?a=1}) or
   * without ({@code memory:local?a=1}). A URI without a query has no parameters.
   *
   * @param store the store's name for messages, such as {@code memory} or {@code redis}
   * @param uri the store URI
   * @param known every parameter name the provider accepts
   * @param secret the known names whose values must never be quoted (in addition to the names that
   *     look secret, see the class description)
   * @return the parameters, by name
   * @throws NullPointerException if an argument or an element is null
   * @throws IllegalArgumentException if the query breaks a rule of this class (see the class
   *     description), or {@code secret} names a parameter that is not in {@code known}
   */
  public static StoreUriParameters parse(String store, URI uri, Collection<String> known,
      Collection<String> secret) {
    Objects.requireNonNull(uri, "uri");
    return parseQuery(store, rawQueryOf(uri), known, secret);
  }

  /**
   * Parses a raw (still percent-encoded) query string, the text after {@code ?} and before any
   * {@code #}; the same rules as {@link #parse(String, URI, Collection, Collection)}.
   *
   * @param rawQuery the query, or null or empty for none
   * @throws NullPointerException if {@code store}, {@code known}, {@code secret} or an element is
   *     null
   * @throws IllegalArgumentException if the query breaks a rule of this class, or {@code secret}
   *     names a parameter that is not in {@code known}
   */
  public static StoreUriParameters parseQuery(String store, @Nullable String rawQuery,
      Collection<String> known, Collection<String> secret) {
    return parseQuery(store, rawQuery, known, secret, Map.of());
  }

  /**
   * {@link #parseQuery(String, String, Collection, Collection)}, refusing the names in
   * {@code refused} with their own message: for a name a user may well try (another library's
   * parameter that the provider replaces), which deserves more than "unknown". A refused name is
   * neither known nor listed among the known names, nor suggested.
   *
   * @param refused name &rarr; why it is refused and what to use instead (never quoting a value)
   * @throws NullPointerException if an argument, an element, a key or a value is null
   * @throws IllegalArgumentException if the query breaks a rule of this class, gives a refused
   *     name (the message is {@code "<store> store parameter '<name>' is not accepted: <why>"}),
   *     {@code secret} names a parameter that is not in {@code known}, or a name is both known and
   *     refused
   */
  public static StoreUriParameters parseQuery(String store, @Nullable String rawQuery,
      Collection<String> known, Collection<String> secret, Map<String, String> refused) {
    Objects.requireNonNull(store, "store");
    Map<String, String> refusedNames = Map.copyOf(Objects.requireNonNull(refused, "refused"));
    Set<String> knownNames = copy(known, "known");
    for (String name : refusedNames.keySet()) {
      if (knownNames.contains(name)) {
        throw new IllegalArgumentException("parameter '" + name + "' is both known and refused");
      }
    }
    Set<String> secretNames = copy(secret, "secret");
    for (String name : secretNames) {
      if (!knownNames.contains(name)) {
        throw new IllegalArgumentException("secret parameter '" + name + "' is not a known one");
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> rawValues = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(store, eq < 0 ? pair : pair.substring(0, eq), null);
        String why = refusedNames.get(name);
        if (why != null) {
          throw new IllegalArgumentException(
              store + " store parameter '" + name + "' is not accepted: " + why);
        }
        if (!knownNames.contains(name)) {
          throw unknown(store, name, knownNames);
        }
        if (eq < 0) {
          throw new IllegalArgumentException(store + " store parameter '" + name
              + "' needs a value: " + name + "=VALUE");
        }
        String raw = pair.substring(eq + 1);
        String value = decode(store, raw, name);
        if (values.putIfAbsent(name, value) != null) {
          throw new IllegalArgumentException(store + " store parameter '" + name
              + "' is given twice; give each parameter once");
        }
        rawValues.put(name, raw);
      }
    }
    return new StoreUriParameters(store, knownNames, secretNames,
        Collections.unmodifiableMap(values), Collections.unmodifiableMap(rawValues));
  }

  /**
   * The decoded value of parameter {@code name}, or empty when the URI does not give it.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is not a known name (a bug in the provider)
   */
  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(requireKnown(name)));
  }

  /**
   * The value of parameter {@code name} as written in the URI, still percent-encoded, or empty when
   * the URI does not give it: for passing a parameter through to another library's URI unchanged.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is not a known name (a bug in the provider)
   */
  public Optional<String> rawValue(String name) {
    return Optional.ofNullable(rawValues.get(requireKnown(name)));
  }

  /**
   * Whether the URI gives parameter {@code name}.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is not a known name (a bug in the provider)
   */
  public boolean contains(String name) {
    return values.containsKey(requireKnown(name));
  }

  /** The names the URI gives, each once, in the order written (which carries no meaning). */
  public Set<String> names() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** Every name the provider accepts, sorted. */
  public Set<String> knownNames() {
    return known;
  }

  /**
   * Whether the value of parameter {@code name} is kept out of messages: declared secret by the
   * provider, or a name that looks secret (see the class description).
   *
   * @throws NullPointerException if {@code name} is null
   */
  public boolean isSecret(String name) {
    Objects.requireNonNull(name, "name");
    return secret.contains(name) || looksSecret(name);
  }

  /**
   * An exception for a value of parameter {@code name} that breaks {@code rule}, for the provider to
   * throw: {@code "memory store parameter mode must be 'object' or 'bytes', was 'objet'"}. The value is
   * quoted only when the parameter is not {@linkplain #isSecret secret}; otherwise the message says
   * {@code (value not shown)}.
   *
   * @param name a known name that the URI gives
   * @param rule what the value must be, such as {@code "must be a positive number"}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is not known or not given (a bug in the
   *     provider); note that the normal result is also an {@code IllegalArgumentException}, returned
   */
  public IllegalArgumentException invalid(String name, String rule) {
    Objects.requireNonNull(rule, "rule");
    String value = values.get(requireKnown(name));
    if (value == null) {
      throw new IllegalArgumentException("parameter '" + name + "' is not given");
    }
    String shown = isSecret(name) ? " (value not shown)" : ", was '" + printable(value, 200) + "'";
    return new IllegalArgumentException(store + " store parameter " + name + " " + rule + shown);
  }

  /**
   * The parameters as {@code name=value} pairs, secret values masked as {@code ****}; never a
   * secret value.
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(store).append(" store parameters {");
    String separator = "";
    for (Map.Entry<String, String> entry : values.entrySet()) {
      text.append(separator).append(entry.getKey()).append('=')
          .append(isSecret(entry.getKey()) ? "****" : printable(entry.getValue(), 200));
      separator = ", ";
    }
    return text.append('}').toString();
  }

  private String requireKnown(String name) {
    Objects.requireNonNull(name, "name");
    if (!known.contains(name)) {
      throw new IllegalArgumentException("'" + name + "' is not a known " + store
          + " store parameter (known: " + String.join(", ", known) + ")");
    }
    return name;
  }

  private static @Nullable String rawQueryOf(URI uri) {
    if (!uri.isOpaque()) {
      return uri.getRawQuery();
    }
    String part = uri.getRawSchemeSpecificPart();
    int q = part.indexOf('?');
    return q < 0 ? null : part.substring(q + 1);
  }

  private static Set<String> copy(Collection<String> names, String what) {
    Objects.requireNonNull(names, what);
    Set<String> copy = new TreeSet<>();
    for (String name : names) {
      Objects.requireNonNull(name, what + " name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException(what + " names must not be empty");
      }
      copy.add(name);
    }
    return Collections.unmodifiableSet(copy);
  }

  private static IllegalArgumentException unknown(String store, String name, Set<String> known) {
    String quoted = printable(name, MAX_QUOTED_NAME);
    String suggestion = suggest(name, known);
    StringBuilder message = new StringBuilder("unknown ").append(store)
        .append(" store parameter '").append(quoted).append("'");
    if (suggestion != null) {
      message.append("; did you mean '").append(suggestion).append("'?");
    }
    message.append(known.isEmpty() ? " (this store takes no parameters)"
        : " (known: " + String.join(", ", known) + ")");
    return new IllegalArgumentException(message.toString());
  }

  /**
   * The known name that {@code name} most likely means: equal once case, {@code _} and {@code -}
   * are ignored and a final {@code s} dropped, or else the closest within two edits; null when
   * nothing is close.
   */
  private static @Nullable String suggest(String name, Set<String> known) {
    String wanted = normalize(name);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      String normal = normalize(candidate);
      int distance = normal.equals(wanted) ? 0 : distance(normal, wanted);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.min(MAX_SUGGESTION_DISTANCE, wanted.length() / 3);
    return bestDistance <= allowed ? best : null;
  }

  private static String normalize(String name) {
    String folded = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    return folded.endsWith("s") ? folded.substring(0, folded.length() - 1) : folded;
  }

  /** Levenshtein distance, for names (short). */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static boolean looksSecret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("password") || lower.contains("passwd") || lower.contains("secret")
        || lower.contains("token") || lower.contains("credential") || lower.endsWith("key")
        || lower.endsWith("keys");
  }

  /** Percent-decodes {@code text}; {@code name} is the parameter for messages, null for a name. */
  private static String decode(String store, String text, @Nullable String name) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    String what = name == null ? "a " + store + " store parameter name"
        : store + " store parameter " + name;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '%') {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(encoded, 0, encoded.length);
        continue;
      }
      int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (high < 0 || low < 0) {
        throw new IllegalArgumentException(what
            + " has a malformed percent escape; write % as %25 and bytes as %XX (two hex digits)");
      }
      bytes.write(high * 16 + low);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " is not valid UTF-8 once percent-decoded");
    }
  }

  /** {@code text} shortened to {@code max} characters, control characters as {@code ?}. */
  private static String printable(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 3);
    for (int i = 0; i < text.length() && i < max; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
    }
    if (text.length() > max) {
      out.append("...");
    }
    return out.toString();
  }
}
