package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@link TaskKey#callerScope}: an injective function of the client id and the {@code sub} claim,
 * whatever JSON type {@code sub} has.
 */
class CallerScopeInjectivityTest {
  private static final Object ABSENT = new Object();

  private static AccessToken token(String clientId, Object sub) {
    Map<String, Object> claims = new HashMap<>();
    if (sub != ABSENT) {
      claims.put("sub", sub);
    }
    return new AccessToken("t", clientId, List.of(), null, null, claims);
  }

  /** What the token holds as sub after normalization; ABSENT when it has none. */
  private static Object normalizedSub(AccessToken token) {
    return token.claims().containsKey("sub") ? token.claims().get("sub") : ABSENT;
  }

  private static Gen<Object> subs() {
    Gen<Object> strings = strings().basicLatinAlphabet().ofLengthBetween(1, 4).map(s -> (Object) s);
    Gen<Object> numbers = integers().between(-3, 3).map(i -> (Object) i);
    Gen<Object> bigNumbers = longs().all().map(l -> (Object) l);
    Gen<Object> decimals = integers().between(-3, 3).map(i -> (Object) BigDecimal.valueOf(i, 1));
    Gen<Object> numericStrings = integers().between(-3, 3).map(i -> (Object) Integer.toString(i));
    Gen<Object> fixed = integers().between(0, 6).map(i -> switch (i) {
      case 0 -> ABSENT;
      case 1 -> Boolean.TRUE;
      case 2 -> "true";
      case 3 -> new BigInteger("123456789012345678901234567890");
      case 4 -> List.of(1L, "1");
      case 5 -> Map.of("a", 1L);
      default -> "null";
    });
    return strings.mix(numbers, 20).mix(bigNumbers, 20).mix(decimals, 20)
        .mix(numericStrings, 20).mix(fixed, 30);
  }

  @Test
  void callerScope_distinctClientAndSub_neverShareAScope() {
    Gen<String> clients = strings().basicLatinAlphabet().ofLengthBetween(1, 3)
        .map(s -> s.isBlank() ? "c" : s);
    qt().withExamples(5_000).forAll(clients, subs(), clients, subs()).check((c1, s1, c2, s2) -> {
      AccessToken a = token(c1, s1);
      AccessToken b = token(c2, s2);
      boolean same = a.clientId().equals(b.clientId())
          && Objects.equals(normalizedSub(a), normalizedSub(b));
      return same == TaskKey.callerScope(a).equals(TaskKey.callerScope(b));
    });
  }

  @Test
  void callerScope_numberStringAndDecimalOne_areThreeScopes() {
    String integer = TaskKey.callerScope(token("app", 1));
    String string = TaskKey.callerScope(token("app", "1"));
    String decimal = TaskKey.callerScope(token("app", 1.0));

    assertThat(List.of(integer, string, decimal)).doesNotHaveDuplicates();
  }

  @Test
  void callerScope_numericSubjectsOfOneClient_differ() {
    assertThat(TaskKey.callerScope(token("app", 1001)))
        .isNotEqualTo(TaskKey.callerScope(token("app", 1002)));
  }

  @Test
  void callerScope_sameNumberAsIntegerOrLong_isOneScope() {
    assertThat(TaskKey.callerScope(token("app", 7))).isEqualTo(TaskKey.callerScope(token("app", 7L)));
  }

  @Test
  void callerScope_withoutSub_isTheClientsScope_sharedByItsClientCredentialTokens() {
    AccessToken first = AccessToken.of("first", "service");
    AccessToken second = AccessToken.of("second", "service");

    assertThat(TaskKey.callerScope(first)).isEqualTo(TaskKey.callerScope(second))
        .isNotEqualTo(TaskKey.callerScope(AccessToken.of("third", "other-service")));
  }

  @Test
  void callerScope_nullSub_differsFromAbsentSub() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", null);
    AccessToken nullSub = new AccessToken("t", "app", List.of(), null, null, claims);

    assertThat(TaskKey.callerScope(nullSub)).isNotEqualTo(TaskKey.callerScope(token("app", ABSENT)));
  }

  @Test
  void callerScope_objectSub_ignoresMemberOrder() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", "x");
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", "x");
    ba.put("a", 1);

    assertThat(TaskKey.callerScope(token("app", ab))).isEqualTo(TaskKey.callerScope(token("app", ba)));
  }

  @Test
  void callerScope_stringsThatLookLikeJsonOrLengthPrefixes_doNotCollide() {
    List<Object> subs = new ArrayList<>(Arrays.asList("json:1", "1:1", "-", "\"1\"", "[1]",
        List.of(1L), 1L, "1", "json:\"1\"", "null", true, "a\"b", "a\\\"b"));
    List<String> scopes = new ArrayList<>();
    for (Object sub : subs) {
      scopes.add(TaskKey.callerScope(token("app", sub)));
    }
    scopes.add(TaskKey.callerScope(token("app", ABSENT)));

    assertThat(scopes).doesNotHaveDuplicates();
  }

  @Test
  void forCaller_withNonStringSub_keepsAnnsAndBensTasksApart() {
    TaskKey ann = TaskKey.forCaller(token("app", 1001), "order-7");
    TaskKey ben = TaskKey.forCaller(token("app", 1002), "order-7");

    assertThat(ann).isNotEqualTo(ben);
    assertThat(TaskKey.random(token("app", 1001)).scope()).isEqualTo(ann.scope());
  }
}
