package dev.baton;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Names one task's snapshot: a {@code scope} that partitions tasks (by the caller's authorization,
 * or by session) and a {@code taskId} unique within it.
 *
 * <p>Both parts are non-blank, at most {@link #MAX_LENGTH} characters, free of control characters
 * (ISO controls, line and paragraph separators, bidirectional overrides) and of unpaired surrogates. {@link #encoded()} maps keys to store keys injectively: two different
 * keys never share a store key, whatever characters they hold.
 *
 * <p>To stop one caller from addressing another caller's snapshot by guessing a task id, build keys
 * with {@link #forCaller(AccessToken, String)}: its scope is derived from the caller's client and
 * subject, so the same task id names different snapshots for different callers.
 *
 * <p>Serializable (as a record: deserialization runs the validating constructor), so that
 * exceptions naming a key can be serialized.
 *
 * @param scope the partition the task belongs to
 * @param taskId the task's identifier within {@code scope}
 */
public record TaskKey(String scope, String taskId) implements Serializable {
  /** The maximum length of each part, in UTF-16 chars. */
  public static final int MAX_LENGTH = 256;

  /** The scope of tasks submitted without a token (see {@link #forCaller}). */
  public static final String ANONYMOUS_SCOPE = "anonymous";

  /** The most characters of a task id that {@link #toString()} shows. */
  private static final int SHOWN_ID_CHARS = 8;

  /**
   * Validates the parts.
   *
   * @throws NullPointerException if a part is null, naming it
   * @throws IllegalArgumentException if a part is blank, too long, or holds a control character or
   *     an unpaired surrogate; the message names the part but does not echo its value
   */
  public TaskKey {
    validate(scope, "scope");
    validate(taskId, "taskId");
  }

  /**
   * A key in the given caller's scope: {@code caller:} followed by a digest of the token's client
   * id and {@code sub} claim, or {@link #ANONYMOUS_SCOPE} when {@code caller} is null.
   *
   * <p>The scope is an injective function of the client id and the {@code sub} claim of any JSON
   * type: two callers share a scope only if both have equal client ids and equal {@code sub}
   * values. {@code "1"}, {@code 1} and {@code 1.0} are three different subjects (numbers are
   * compared as {@link AccessToken#claims()} normalizes them). A token without a {@code sub} claim
   * (such as a client-credentials token) belongs to its client: every such token of one client
   * shares the client's scope, which no token with a {@code sub} shares; a {@code sub} of JSON
   * {@code null} is a value of its own, distinct from an absent one.
   *
   * <p>The digest is not secret (anyone knowing both ids can compute it); it makes the scope a fixed
   * size and keeps ids out of store keys. The bearer token is not part of it, so a caller who
   * refreshes their token keeps addressing their own tasks.
   *
   * @throws NullPointerException if {@code taskId} is null
   * @throws IllegalArgumentException if {@code taskId} is invalid
   */
  public static TaskKey forCaller(@Nullable AccessToken caller, String taskId) {
    return new TaskKey(callerScope(caller), taskId);
  }

  /**
   * A key in the given caller's scope (see {@link #forCaller}) with a random UUID as task id.
   *
   * <p>The id is a version 4 UUID whose 122 random bits come from {@link java.security.SecureRandom},
   * as {@link UUID#randomUUID()}'s do, drawn from a buffer refilled 32 ids at a time rather than by
   * one {@code SecureRandom} call per id: unguessable, and cheap enough for one per task.
   *
   * @param caller the caller, or {@code null} for {@link #ANONYMOUS_SCOPE}
   * @return a new key
   */
  public static TaskKey random(@Nullable AccessToken caller) {
    return forCaller(caller, RandomTaskIds.next());
  }

  /**
   * The scope {@link #forCaller} uses for {@code caller}.
   *
   * @return {@code caller:<base64url sha-256 of clientId and sub>}, or {@link #ANONYMOUS_SCOPE}
   */
  public static String callerScope(@Nullable AccessToken caller) {
    if (caller == null) {
      return ANONYMOUS_SCOPE;
    }
    Map<String, @Nullable Object> claims = caller.claims();
    String clientId = caller.clientId();
    boolean hasSub = claims.containsKey("sub");
    @Nullable Object sub = claims.get("sub");
    // The common case, a string sub or none, is looked up by its parts, so that a repeated caller
    // costs no string building (it was a tenth of a Redis capture's allocation).
    boolean simple = !hasSub || sub instanceof String;
    int slot = (clientId.hashCode() * 31 + (hasSub ? Objects.hashCode(sub) : -1))
        & (RECENT_SCOPES_SLOTS - 1);
    if (simple) {
      RecentScope recent = RECENT_SCOPES.get(slot);
      if (recent != null && recent.hasSub() == hasSub && recent.clientId().equals(clientId)
          && Objects.equals(recent.sub(), sub)) {
        return recent.scope();
      }
    }
    // Length-prefixed client id, so that ("ab", x) and ("a", bx) digest differently. Then one of
    // three forms that no other can produce: "-" (no sub), "<length>:<sub>" (a string sub; the form
    // earlier versions used, so existing string-sub scopes keep their value), "json:<text>" (any
    // other JSON value, as canonical JSON text; a digit never starts "json:").
    String subject;
    if (!hasSub) {
      subject = "-";
    } else if (sub instanceof String s) {
      subject = s.length() + ":" + s;
    } else {
      subject = "json:" + CanonicalJson.write(sub);
    }
    String scope = digestScope(clientId.length() + ":" + clientId + "|" + subject);
    if (simple) {
      RECENT_SCOPES.set(slot, new RecentScope(clientId, hasSub, sub, scope));
    }
    return scope;
  }

  /** Slots of {@link #RECENT_SCOPES}; a power of two. */
  private static final int RECENT_SCOPES_SLOTS = 64;

  /**
   * Recently derived scopes by client id and string sub, direct-mapped: one caller's keys then
   * share one scope string (in a store holding many snapshots that is one string instead of one per entry)
   * and skip the digest. Bounded (a colliding caller just replaces the slot and is derived again)
   * and free of secrets: it holds client ids, subjects and their digests, never a bearer token.
   */
  private static final AtomicReferenceArray<@Nullable RecentScope> RECENT_SCOPES =
      new AtomicReferenceArray<>(RECENT_SCOPES_SLOTS);

  /** A scope and what it is the digest of: the client id and the string sub, if any. */
  private record RecentScope(String clientId, boolean hasSub, @Nullable Object sub, String scope) {}

  private static String digestScope(String material) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
      return "caller:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * This key as one store key: {@code scope} and {@code taskId} joined by {@code ':'}, with
   * {@code '%'}, {@code ':'}, <code>'{'</code> and <code>'}'</code> percent-escaped in each part.
   *
   * <p>The escaping makes the encoding injective, and keeps Redis Cluster hash tags out of
   * user-chosen ids (so no caller can pin every key to one slot).
   */
  public String encoded() {
    return escapedScope(scope) + ':' + escape(taskId);
  }

  /** Slots of {@link #ESCAPED_SCOPES}; a power of two. */
  private static final int ESCAPED_SCOPES_SLOTS = 16;

  /**
   * Recently escaped scopes, direct-mapped by the scope's hash. A caller's scope
   * ({@code caller:<digest>}) always holds a colon to escape, and a store encodes each key once per
   * command: without this, every command built the same escaped scope again (a StringBuilder and
   * two arrays). Bounded, and holds only scopes, which are not secret.
   */
  private static final AtomicReferenceArray<@Nullable EscapedScope> ESCAPED_SCOPES =
      new AtomicReferenceArray<>(ESCAPED_SCOPES_SLOTS);

  /** A scope and its escaped form. */
  private record EscapedScope(String scope, String escaped) {}

  private static String escapedScope(String scope) {
    int slot = scope.hashCode() & (ESCAPED_SCOPES_SLOTS - 1);
    EscapedScope recent = ESCAPED_SCOPES.get(slot);
    if (recent != null && recent.scope().equals(scope)) {
      return recent.escaped();
    }
    String escaped = escape(scope);
    if (!escaped.equals(scope)) {
      ESCAPED_SCOPES.set(slot, new EscapedScope(scope, escaped));
    }
    return escaped;
  }

  /** Every char of a part escaped, both parts at their longest, and the separator. */
  private static final int MAX_ENCODED_LENGTH = 2 * 3 * MAX_LENGTH + 1;

  /** How much of a malformed input a message shows: enough to recognize it, too little to matter. */
  private static final int ECHOED_PREFIX = 12;

  /**
   * The key whose {@link #encoded()} form is {@code encoded}: the exact inverse of {@link #encoded()},
   * for keys that cross a queue or another process as text.
   *
   * <p>Only the canonical encoding is accepted, so that {@code parse(s).encoded().equals(s)} holds
   * whenever {@code parse(s)} returns: exactly one unescaped {@code ':'}; {@code '%'} only as the
   * start of {@code %25}, {@code %3A}, {@code %7B} or {@code %7D} (upper-case hex, as
   * {@link #encoded()} writes them); no raw <code>'{'</code> or <code>'}'</code>; and parts that
   * are valid once unescaped (see {@link #TaskKey(String, String)}). Any other escape, including
   * lower-case hex or an escape of a character that {@link #encoded()} leaves alone, is refused.
   *
   * @param encoded a string produced by {@link #encoded()}
   * @return the key, equal to the one that produced {@code encoded}
   * @throws NullPointerException if {@code encoded} is null
   * @throws IllegalArgumentException if {@code encoded} is not the encoding of any key; the message
   *     states the rule and shows at most a short, sanitized prefix of the input
   */
  public static TaskKey parse(String encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length() > MAX_ENCODED_LENGTH) {
      throw malformed(encoded, "longer than " + MAX_ENCODED_LENGTH + " chars, the longest encoding");
    }
    int separator = encoded.indexOf(':');
    if (separator < 0) {
      throw malformed(encoded, "no ':' between scope and taskId");
    }
    if (encoded.indexOf(':', separator + 1) >= 0) {
      throw malformed(encoded, "more than one unescaped ':' (a ':' inside a part is written %3A)");
    }
    String scope = unescape(encoded, 0, separator);
    String taskId = unescape(encoded, separator + 1, encoded.length());
    try {
      return new TaskKey(scope, taskId);
    } catch (IllegalArgumentException e) {
      throw malformed(encoded, String.valueOf(e.getMessage()));
    }
  }

  private static String unescape(String encoded, int from, int to) {
    StringBuilder out = null;
    for (int i = from; i < to; i++) {
      char c = encoded.charAt(i);
      if (c == '{' || c == '}') {
        throw malformed(encoded, "unescaped '" + c + "' at index " + i + " (written %7B or %7D)");
      }
      if (c != '%') {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      char decoded = i + 2 < to ? unescaped(encoded.charAt(i + 1), encoded.charAt(i + 2)) : 0;
      if (decoded == 0) {
        throw malformed(encoded, "'%' at index " + i
            + " does not start one of the escapes %25, %3A, %7B, %7D (upper-case hex)");
      }
      if (out == null) {
        out = new StringBuilder(to - from).append(encoded, from, i);
      }
      out.append(decoded);
      i += 2;
    }
    return out == null ? encoded.substring(from, to) : out.toString();
  }

  /** The char that {@link #escape} writes as {@code %} + {@code hi} + {@code lo}, or 0 if none. */
  private static char unescaped(char hi, char lo) {
    if (hi == '2' && lo == '5') {
      return '%';
    }
    if (hi == '3' && lo == 'A') {
      return ':';
    }
    if (hi == '7' && lo == 'B') {
      return '{';
    }
    if (hi == '7' && lo == 'D') {
      return '}';
    }
    return 0;
  }

  private static IllegalArgumentException malformed(String encoded, String rule) {
    return new IllegalArgumentException(
        "not an encoded TaskKey (" + describe(encoded) + "): " + rule);
  }

  /**
   * The input's length and a short prefix with anything that could rewrite a log line (controls,
   * invisible formatting, surrogates) replaced by {@code '?'}.
   */
  private static String describe(String encoded) {
    int end = Math.min(encoded.length(), ECHOED_PREFIX);
    StringBuilder prefix = new StringBuilder(end + 1);
    for (int i = 0; i < end; i++) {
      char c = encoded.charAt(i);
      boolean unsafe = Character.isISOControl(c) || isInvisibleFormatting(c)
          || Character.isSurrogate(c) || c == '"';
      prefix.append(unsafe ? '?' : c);
    }
    if (end < encoded.length()) {
      prefix.append('\u2026');
    }
    return "\"" + prefix + "\", " + encoded.length() + " chars";
  }

  private static String escape(String part) {
    StringBuilder out = null;
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      String replacement = switch (c) {
        case '%' -> "%25";
        case ':' -> "%3A";
        case '{' -> "%7B";
        case '}' -> "%7D";
        default -> null;
      };
      if (replacement != null && out == null) {
        out = new StringBuilder(part.length() + 8).append(part, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? part : out.toString();
  }

  /**
   * The scope and only the first characters of the task id: {@code TaskKey[scope=jobs,
   * taskId=1b4e...(36 chars)]}.
   *
   * <p>Why not the whole id: a key travels as a capability (a message header, a job's metadata),
   * and a live key acts as its caller until its snapshot is deleted or taken. Log lines and
   * exception messages name keys through this method, so a key read from a log cannot be replayed.
   * At most half of the id and never more than {@value #SHOWN_ID_CHARS} characters are shown: of a
   * random id (122 random bits) at least 90 stay unknown, which is enough to tell tasks apart in a
   * log and not enough to address one. {@link #encoded()} gives the whole key, for the code that
   * hands it over.
   */
  @Override
  public String toString() {
    int shown = Math.min(SHOWN_ID_CHARS, taskId.length() / 2);
    if (shown > 0 && Character.isHighSurrogate(taskId.charAt(shown - 1))) {
      shown--; // never half a character
    }
    return "TaskKey[scope=" + scope + ", taskId=" + taskId.substring(0, shown) + "...("
        + taskId.length() + " chars)]";
  }

  /**
   * Line and paragraph separators and bidirectional overrides: not ISO controls, but they let a key
   * rewrite the log line it is printed in.
   */
  private static boolean isInvisibleFormatting(char c) {
    return c == '\u2028' || c == '\u2029' || c == '\u200E' || c == '\u200F'
        || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
  }

  private static void validate(@Nullable String part, String name) {
    Objects.requireNonNull(part, name);
    if (part.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    if (part.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          name + " must be at most " + MAX_LENGTH + " chars, was " + part.length());
    }
    Utf16.requireWellFormed(part, name);
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (Character.isISOControl(c) || isInvisibleFormatting(c)) {
        throw new IllegalArgumentException(
            name + " must not contain control characters (found U+"
                + String.format("%04X", (int) c) + " at index " + i + ")");
      }
    }
  }
}
