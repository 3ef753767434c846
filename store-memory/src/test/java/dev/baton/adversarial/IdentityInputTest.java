package dev.baton.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Caller scopes, claims, keys, store URIs and extreme settings, attacked with hostile input. */
class IdentityInputTest {
  private static final String SECRET = "identity-input-secret-bearer-jwt";

  private static AccessToken withSub(Object sub) {
    Map<String, Object> claims = new HashMap<>();
    claims.put("sub", sub);
    return new AccessToken(SECRET, "client", List.of(), null, null, claims);
  }

  @Test
  void callerScope_distinctSubjectsOfEveryJsonType_neverShareAScope() {
    String nfc = Normalizer.normalize("jos\u00e9", Normalizer.Form.NFC);
    String nfd = Normalizer.normalize("jos\u00e9", Normalizer.Form.NFD);
    assertThat(nfc).isNotEqualTo(nfd);
    List<Object> subjects = Arrays.asList("1", 1L, new BigDecimal("1.0"), new BigDecimal("1.5"),
        "1.0", true, "true", false, "false", "null", List.of(1L), List.of("1"), List.of(),
        Map.of("a", 1L), Map.of("a", "1"), Map.of(), nfc, nfd,
        Long.MAX_VALUE, BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
        Long.MIN_VALUE, BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE),
        "9223372036854775808", 100L, "1e2", "100", "-", "json:1", "1:1", "", " ", "\u0000");
    Map<String, Object> scopes = new LinkedHashMap<>();
    for (Object sub : subjects) {
      String scope = TaskKey.callerScope(withSub(sub));
      Object earlier = scopes.put(scope, sub);
      assertThat(earlier).as("subjects %s and %s share a scope", earlier, sub).isNull();
    }
    Map<String, Object> jsonNull = new HashMap<>();
    jsonNull.put("sub", null);
    String nullScope = TaskKey.callerScope(
        new AccessToken(SECRET, "client", List.of(), null, null, jsonNull));
    String absentScope = TaskKey.callerScope(AccessToken.of(SECRET, "client"));
    assertThat(scopes).doesNotContainKeys(nullScope, absentScope);
    assertThat(nullScope).isNotEqualTo(absentScope);
  }

  @Test
  void callerScope_sameJsonNumberInAnyJavaType_isOneScope() {
    String asLong = TaskKey.callerScope(withSub(1001L));
    assertThat(TaskKey.callerScope(withSub(1001))).isEqualTo(asLong);
    assertThat(TaskKey.callerScope(withSub((short) 1001))).isEqualTo(asLong);
    assertThat(TaskKey.callerScope(withSub(BigInteger.valueOf(1001)))).isEqualTo(asLong);
    assertThat(TaskKey.callerScope(withSub(new BigDecimal("1.001E+3")))).isEqualTo(asLong);
    assertThat(TaskKey.callerScope(withSub(1001L))).isNotEqualTo(
        TaskKey.callerScope(withSub("1001")));
  }

  @Test
  void callerScope_clientIdAndSubBoundaries_neverCollide() {
    AccessToken a = new AccessToken(SECRET, "ab", List.of(), null, null, Map.of("sub", "c"));
    AccessToken b = new AccessToken(SECRET, "a", List.of(), null, null, Map.of("sub", "bc"));
    AccessToken c = new AccessToken(SECRET, "a|1:c", List.of(), null, null, Map.of());
    AccessToken d = new AccessToken(SECRET, "a", List.of(), null, null, Map.of("sub", "c"));
    assertThat(List.of(a, b, c, d).stream().map(TaskKey::callerScope).distinct()).hasSize(4);
  }

  @Test
  void fromClaims_hostileShapes_areIllegalArgument_neverEchoTheToken() {
    List<Map<String, Object>> hostile = new ArrayList<>();
    hostile.add(Map.of("client_id", 42L));
    hostile.add(Map.of("client_id", List.of("a")));
    hostile.add(Map.of("client_id", " "));
    hostile.add(Map.of("client_id", 7L, "azp", "web"));
    hostile.add(Map.of("azp", true));
    hostile.add(Map.of("client_id", "web", "exp", "NaN"));
    hostile.add(Map.of("client_id", "web", "exp", Double.NaN));
    hostile.add(Map.of("client_id", "web", "exp", Double.POSITIVE_INFINITY));
    hostile.add(Map.of("client_id", "web", "exp", new BigDecimal("1E+399")));
    hostile.add(Map.of("client_id", "web", "exp", Long.MAX_VALUE));
    hostile.add(Map.of("client_id", "web", "exp", BigInteger.TEN.pow(300).negate()));
    hostile.add(Map.of("client_id", "web", "exp", List.of(1L)));
    hostile.add(Map.of("client_id", "web", "sub", List.of("x")));
    hostile.add(Map.of("client_id", "web", "sub", true));
    hostile.add(Map.of("client_id", "web", "sub", ""));
    hostile.add(Map.of("client_id", "web", "scope", List.of("a b")));
    hostile.add(Map.of("client_id", "web", "scope", "a\tb"));
    hostile.add(Map.of("client_id", "web", "scope", 5L));
    hostile.add(Map.of("client_id", "web", "aud", List.of("api", 3L)));
    hostile.add(Map.of("client_id", "web", "active", "true"));
    hostile.add(Map.of("client_id", "web", "active", false));
    hostile.add(Map.of("client_id", "web", "x", new Object()));
    hostile.add(Map.of("client_id", "web", "x", new BigDecimal("1E-401")));
    Object deep = "leaf";
    for (int i = 0; i < 5000; i++) {
      deep = List.of(deep);
    }
    hostile.add(Map.of("client_id", "web", "deep", deep));
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    hostile.add(Map.of("client_id", "web", "cyclic", cyclic));
    hostile.add(Map.of());
    for (Map<String, Object> claims : hostile) {
      assertThatThrownBy(() -> AccessToken.fromClaims(SECRET, claims))
          .as("claims %s", claims.keySet())
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(chainText(e)).doesNotContain(SECRET));
    }
  }

  @Test
  void fromClaims_extremeButValidExp_mapsWithoutOverflow() {
    AccessToken past = AccessToken.fromClaims(SECRET,
        Map.of("client_id", "web", "exp", new BigDecimal("-0.5")));
    assertThat(past.expiresAt()).isEqualTo(Instant.ofEpochSecond(-1, 500_000_000));
    AccessToken far = AccessToken.fromClaims(SECRET,
        Map.of("client_id", "web", "exp", Instant.MAX.getEpochSecond()));
    assertThat(far.expiresAt()).isEqualTo(Instant.MAX.minusNanos(999_999_999));
    AccessToken huge = AccessToken.fromClaims(SECRET, Map.of("client_id", "web",
        "scope", String.join(" ", java.util.Collections.nCopies(100_000, "s"))));
    assertThat(huge.scopes()).containsExactly("s");
  }

  @Test
  void extremeDurations_everyCapturePath_neverArithmeticException() throws Exception {
    MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.create();
    try {
      Duration forever = ChronoUnit.FOREVER.getDuration();
      Baton baton = Baton.builder().store(store).leeway(forever).snapshotTtl(forever).build();
      List<AccessToken> tokens = List.of(
          new AccessToken(SECRET, "c", List.of(), Instant.MAX, null, Map.of()),
          new AccessToken(SECRET, "c", List.of(), Instant.MIN, null, Map.of()),
          new AccessToken(SECRET, "c", List.of(), Instant.EPOCH, null, Map.of()),
          AccessToken.of(SECRET, "c"));
      for (AccessToken token : tokens) {
        TaskKey key = baton.capture(TaskKey.random(token), token);
        baton.run(key, () -> assertThat(Baton.currentToken()).contains(token));
        try (Scope request = baton.bindRequest(token)) {
          assertThat(baton.wrap(new DirectExecutorService()).submit(Baton::currentToken).get())
              .contains(token);
          TaskKey captured = baton.capture();
          baton.run(captured, () -> assertThat(Baton.currentToken()).contains(token));
        }
        assertThat(token.isExpired(Instant.MAX, forever)).isFalse();
        if (!Instant.MIN.equals(token.expiresAt())) {
          assertThat(token.isExpired(Instant.MIN, Duration.ZERO)).isFalse();
        }
      }
    } finally {
      store.close();
    }
  }

  @Test
  void taskKeyParse_hostileStrings_areIllegalArgument_echoAtMostAShortPrefix() {
    String longSecret = "a:" + SECRET + SECRET;
    List<String> hostile = List.of("", ":", "a:", ":b", "a:b:c", "%", "a%:b", "a%2:b", "a%3a:b",
        "a%41:b", "a{:b", "a}:b", "a:b\u0000", "a\u2028:b", "\ud800:b", "a:\udc00", " :b",
        "a:" + "x".repeat(257), "x".repeat(5000), longSecret + "%zz", "%25%:b", "a%3A", "%3A%3A");
    for (String s : hostile) {
      assertThatThrownBy(() -> TaskKey.parse(s)).as("parse(%s)", s.length() > 40
              ? s.substring(0, 40) : s)
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET.substring(0, 14)));
    }
    TaskKey odd = new TaskKey("%3A", "{}:%");
    assertThat(TaskKey.parse(odd.encoded())).isEqualTo(odd);
  }

  @Test
  void memoryUri_typosDuplicatesAndEncodings_refusedOrDecodedStrictly() {
    List<String> refused = List.of("memory:local?sealingkeys=env:K", "memory:local?sealing_keys=env:K",
        "memory:local?sealingKey=env:K", "memory:local?mode=bytes&mode=bytes",
        "memory:local?mode=bytes&MODE=bytes", "memory:local?mode=Bytes", "memory:local?mode",
        "memory:local?mode=bytes;sealingKeys=env:K", "memory:local?sealing=None",
        "memory:local?sealing=none&sealingKeys=env:K", "memory:local?maximumSize=-1",
        "memory:local?maximumSize=1e3", "memory:local?mode=%ZZ", "memory:local?%6Dode=objec%74&mode=object",
        "memory:local?maximumSize=99999999999999999999", "memory:local?sealing=none%00",
        "memory:local?mode=object&sealingKeys=env:BATON_ADVERSARIAL_UNSET");
    for (String uri : refused) {
      assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create(uri)).close())
          .as(uri).isInstanceOf(IllegalArgumentException.class);
    }
    try (TokenSnapshotStore store = TokenSnapshotStores.open(
        URI.create("memory:local?%6Dode=byte%73&sealing=none&&"))) {
      assertThat(store).isNotNull();
    }
  }

  private static String chainText(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append('\n');
      for (Throwable s : t.getSuppressed()) {
        text.append(s).append('\n');
      }
    }
    return text.toString();
  }
}
