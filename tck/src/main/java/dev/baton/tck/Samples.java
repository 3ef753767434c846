package dev.baton.tck;

import dev.baton.AccessToken;
import dev.baton.TokenSnapshot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Hand-written snapshots for the named checks, each aimed at one way a store gets values wrong. */
final class Samples {
  static final Instant CAPTURED = Instant.parse("2030-01-01T00:00:00.123456789Z");

  private Samples() {}

  /** A token with every field set and claims of every JSON type. */
  static AccessToken richToken() {
    var claims = new LinkedHashMap<String, @Nullable Object>();
    claims.put("sub", "user-42");
    claims.put("iss", "https://issuer.example/");
    claims.put("count", 42L);
    claims.put("ratio", new BigDecimal("0.25"));
    claims.put("admin", true);
    claims.put("nothing", null);
    claims.put("groups", List.of("a", "b", "c"));
    claims.put("profile", Map.of("name", "Ada", "age", 36L));
    return new AccessToken("tck-rich-token", "tck-client", List.of("read", "write", "admin:*"),
        Instant.parse("2030-01-01T01:00:00.987654321Z"), "https://api.example/v1", claims);
  }

  static TokenSnapshot rich() {
    return TokenSnapshot.of(richToken(), CAPTURED);
  }

  /** Snapshot number {@code i}: distinct for distinct {@code i}, in token, claims and time. */
  static TokenSnapshot numbered(int i) {
    var token = new AccessToken("tck-token-" + i, "tck-client-" + i, List.of("scope-" + i),
        CAPTURED.plusSeconds(3600 + i), null, Map.of("sub", "user-" + i, "n", (long) i));
    return TokenSnapshot.of(token, CAPTURED.plusNanos(i));
  }

  /**
   * A token whose leaks the failure checks look for: URL-encoding and Base64 change it, and its
   * {@code é} is written {@code \u00E9} by the JSON codec, so a stored value holds it in a form
   * other than its own bytes (the kit looks for that form too: {@link TokenForms#asStored}).
   */
  static final String LEAK_PROBE_TOKEN = "tck-leak-probe s3cr3t/t0k+n=?&\u00E9x";

  /**
   * A token made only of characters that every codec passes through byte for byte (ASCII letters,
   * digits, '-', '.', '_'): its bytes appear unchanged inside an encoded value, so any hex or
   * Base64 dump of that value contains its encoded form.
   */
  static final String ASCII_LEAK_PROBE_TOKEN = "tck-ascii-probe.s3cr3t_t0k3n-Q7xZ";

  /** A snapshot carrying {@link #LEAK_PROBE_TOKEN}. */
  static TokenSnapshot leakProbe() {
    return TokenSnapshot.of(new AccessToken(LEAK_PROBE_TOKEN, "tck-client", List.of("read"),
        null, null, Map.of("sub", "leak-probe")), CAPTURED);
  }

  /** A snapshot carrying {@link #ASCII_LEAK_PROBE_TOKEN}. */
  static TokenSnapshot asciiLeakProbe() {
    return TokenSnapshot.of(new AccessToken(ASCII_LEAK_PROBE_TOKEN, "tck-client",
        List.of("read"), null, null, Map.of("sub", "ascii-leak-probe")), CAPTURED);
  }

  /** Both leak probes: the ASCII one and the Unicode one. */
  static List<TokenSnapshot> leakProbes() {
    return List.of(asciiLeakProbe(), leakProbe());
  }

  static TokenSnapshot anonymous() {
    return TokenSnapshot.anonymous(CAPTURED);
  }

  /** Only the required fields: no scopes, expiry, resource or claims. */
  static TokenSnapshot minimal() {
    return TokenSnapshot.of(AccessToken.of("tck-minimal-token", "tck-client"), CAPTURED);
  }

  /** Claims nested {@code depth} levels, alternating maps and lists, with nulls on the way. */
  static TokenSnapshot deeplyNested(int depth) {
    @Nullable Object value = "leaf";
    for (int i = 0; i < depth; i++) {
      if (i % 2 == 0) {
        var map = new LinkedHashMap<String, @Nullable Object>();
        map.put("level", (long) i);
        map.put("null", null);
        map.put("child", value);
        value = map;
      } else {
        value = Arrays.asList(value, null, (long) i, "x" + i, List.of(), Map.of());
      }
    }
    var claims = new LinkedHashMap<String, @Nullable Object>();
    claims.put("sub", "nested");
    claims.put("tree", value);
    claims.put("emptyList", List.of());
    claims.put("emptyMap", Map.of());
    claims.put("", "the empty claim name");
    return TokenSnapshot.of(
        new AccessToken("tck-nested-token", "tck-client", List.of("nested"), null, null, claims),
        CAPTURED);
  }

  /** Text from many scripts, emoji (surrogate pairs), combining marks and control characters. */
  static final String UNICODE =
      "Zürich ✓ 東京 Ελλάδα עברית العربية 🙂👩‍💻 e\u0301 \uFB01 \u0000\t\n\u001F"
      + " \u2028\u2029 \uFFFD \uFEFF 𝄞 \"quoted\" back\\slash </script> ' %s %n {{}}";

  static TokenSnapshot unicode() {
    var claims = new LinkedHashMap<String, @Nullable Object>();
    claims.put("sub", UNICODE);
    claims.put(UNICODE, List.of(UNICODE, "🙂"));
    return TokenSnapshot.of(new AccessToken("tck-🙂-" + UNICODE, "client-東京",
        List.of("scope:✓", "🙂", "e\u0301"), null, "https://例え.jp/🙂", claims), CAPTURED);
  }

  /** Every number shape the claims model keeps: extreme longs, huge integers, exact decimals. */
  static TokenSnapshot numbers() {
    var claims = new LinkedHashMap<String, @Nullable Object>();
    claims.put("zero", 0L);
    claims.put("max", Long.MAX_VALUE);
    claims.put("min", Long.MIN_VALUE);
    claims.put("huge", new BigInteger("123456789012345678901234567890"));
    claims.put("negativeHuge", new BigInteger("-98765432109876543210987654321"));
    claims.put("scaled", new BigDecimal("1.50"));
    claims.put("tiny", new BigDecimal("1E-30"));
    claims.put("negative", new BigDecimal("-0.000001"));
    claims.put("precise", new BigDecimal("3.141592653589793238462643383279"));
    claims.put("double", 0.1d);
    return TokenSnapshot.of(
        new AccessToken("tck-numbers", "tck-client", List.of(), null, null, claims), CAPTURED);
  }

  /** {@code count} scopes, in an order that is not sorted. */
  static TokenSnapshot manyScopes(int count) {
    var scopes = new ArrayList<String>(count);
    for (int i = count; i > 0; i--) {
      scopes.add("scope-" + i);
    }
    return TokenSnapshot.of(
        new AccessToken("tck-many-scopes", "tck-client", scopes, null, null, Map.of()), CAPTURED);
  }

  /** Instants that break encodings: before the epoch with nanos, the epoch, far future. */
  static List<TokenSnapshot> extremeInstants() {
    List<Instant> instants = List.of(
        Instant.EPOCH,
        Instant.parse("1969-12-31T23:59:59.999999999Z"),
        Instant.parse("1900-01-01T00:00:00.000000001Z"),
        Instant.parse("2038-01-19T03:14:08Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"));
    var out = new ArrayList<TokenSnapshot>();
    for (Instant instant : instants) {
      var token = new AccessToken("tck-instant", "tck-client", List.of(), instant, null, Map.of());
      out.add(TokenSnapshot.of(token, instant));
    }
    return out;
  }

  /** A snapshot whose claims hold one string of {@code chars} ASCII characters. */
  static TokenSnapshot withClaimOfLength(int chars) {
    var claims = new LinkedHashMap<String, @Nullable Object>();
    claims.put("sub", "large");
    String tail = "0123456789".substring(0, Math.min(10, chars));
    claims.put("blob", "x".repeat(Math.max(0, chars - 10)) + tail);
    return TokenSnapshot.of(
        new AccessToken("tck-large", "tck-client", List.of(), null, null, claims), CAPTURED);
  }
}
