package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskKeyTest {
  private static final String SECRET = "bearer-secret-value";

  private static AccessToken caller(String clientId, String subject) {
    return new AccessToken(SECRET, clientId, List.of(), null, null,
        subject == null ? Map.of() : Map.of("sub", subject));
  }

  // ------------------------------------------------------------------ validation

  @Test
  void constructor_withNullScope_throwsNpeNamingScope() {
    assertThatNullPointerException().isThrownBy(() -> new TaskKey(null, "t")).withMessage("scope");
  }

  @Test
  void constructor_withNullTaskId_throwsNpeNamingTaskId() {
    assertThatNullPointerException().isThrownBy(() -> new TaskKey("s", null)).withMessage("taskId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t \u2003"})
  void constructor_withBlankScope_throwsNamingScope(String blank) {
    assertThatThrownBy(() -> new TaskKey(blank, "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scope must not be blank");
  }

  @Test
  void constructor_withBlankTaskId_throwsNamingTaskId() {
    assertThatThrownBy(() -> new TaskKey("s", "  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("taskId must not be blank");
  }

  @Test
  void constructor_atTheLengthBound_accepts() {
    String longest = "x".repeat(TaskKey.MAX_LENGTH);

    assertThat(new TaskKey(longest, longest).taskId()).hasSize(256);
  }

  @Test
  void constructor_overTheLengthBound_throwsNamingThePartAndTheBound() {
    assertThatThrownBy(() -> new TaskKey("s", "x".repeat(TaskKey.MAX_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taskId")
        .hasMessageContaining("256");
  }

  @Test
  void constructor_scopeOverTheLengthBound_throwsNamingScope() {
    assertThatThrownBy(() -> new TaskKey("s".repeat(257), "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scope");
  }

  @Test
  void constructor_lengthBound_countsUtf16Chars() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars

    assertThat(new TaskKey("s", emoji.repeat(128)).taskId()).hasSize(256);
    assertThatThrownBy(() -> new TaskKey("s", emoji.repeat(128) + "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\rb", "\u0000", "tab\there", "del\u007F", "c1\u0085", "esc\u001B[31m"})
  void constructor_withControlCharacter_throwsNamingThePart(String withControl) {
    assertThatThrownBy(() -> new TaskKey("s", withControl))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("taskId")
        .hasMessageContaining("control character");
  }

  @Test
  void constructor_withControlCharacter_doesNotEchoTheValue() {
    assertThatThrownBy(() -> new TaskKey("leaky-value\n", "t"))
        .message().doesNotContain("leaky-value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uD83D", "a\uD83D", "\uDE00b", "\uDE00\uD83D", "x\uD83Dy"})
  void constructor_withUnpairedSurrogate_throwsNamingThePart(String unpaired) {
    assertThatThrownBy(() -> new TaskKey(unpaired, "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scope")
        .hasMessageContaining("surrogate");
  }

  @Test
  void constructor_withPairedSurrogates_accepts() {
    assertThat(new TaskKey("\uD83D\uDE00", "t\uD83D\uDE00t").scope()).isEqualTo("\uD83D\uDE00");
  }

  // ------------------------------------------------------------------ encoding

  @Test
  void encoded_joinsPlainPartsWithAColon() {
    assertThat(new TaskKey("tenant-1", "job-42").encoded()).isEqualTo("tenant-1:job-42");
  }

  @Test
  void encoded_escapesColonPercentAndBraces() {
    assertThat(new TaskKey("a:b", "%{x}").encoded()).isEqualTo("a%3Ab:%25%7Bx%7D");
  }

  @Test
  void encoded_separatesKeysThatWouldCollideWhenJoinedNaively() {
    assertThat(new TaskKey("a:b", "c").encoded()).isNotEqualTo(new TaskKey("a", "b:c").encoded());
  }

  @Test
  void encoded_separatesAnEscapeSequenceFromTheCharacterItEscapes() {
    assertThat(new TaskKey("a%3Ab", "c").encoded())
        .isNotEqualTo(new TaskKey("a:b", "c").encoded());
  }

  @Test
  void encoded_neverContainsHashTagBraces() {
    assertThat(new TaskKey("{slot}", "{x}").encoded()).doesNotContain("{", "}");
  }

  // ------------------------------------------------------------------ caller scoping

  @Test
  void forCaller_withoutCaller_usesTheAnonymousScope() {
    assertThat(TaskKey.forCaller(null, "t").scope()).isEqualTo(TaskKey.ANONYMOUS_SCOPE);
  }

  @Test
  void forCaller_sameClientAndSubject_sameScope_evenAfterTokenRefresh() {
    AccessToken before = caller("client", "alice");
    AccessToken refreshed =
        new AccessToken("refreshed-" + SECRET, "client", List.of(), null, null, Map.of("sub", "alice"));

    assertThat(TaskKey.forCaller(refreshed, "t")).isEqualTo(TaskKey.forCaller(before, "t"));
  }

  @Test
  void forCaller_differentSubjects_differentScopes() {
    assertThat(TaskKey.forCaller(caller("client", "alice"), "t"))
        .isNotEqualTo(TaskKey.forCaller(caller("client", "bob"), "t"));
  }

  @Test
  void forCaller_differentClients_differentScopes() {
    assertThat(TaskKey.forCaller(caller("client-a", "alice"), "t"))
        .isNotEqualTo(TaskKey.forCaller(caller("client-b", "alice"), "t"));
  }

  @Test
  void forCaller_shiftedBoundaryBetweenClientAndSubject_differentScopes() {
    assertThat(TaskKey.callerScope(caller("ab", "c")))
        .isNotEqualTo(TaskKey.callerScope(caller("a", "bc")));
  }

  @Test
  void forCaller_noSubject_differsFromADashSubject() {
    assertThat(TaskKey.callerScope(caller("client", null)))
        .isNotEqualTo(TaskKey.callerScope(caller("client", "-")));
  }

  @Test
  void forCaller_authenticatedScope_neverEqualsTheAnonymousScope() {
    assertThat(TaskKey.callerScope(caller("anonymous", null))).isNotEqualTo(TaskKey.ANONYMOUS_SCOPE);
  }

  @Test
  void forCaller_scope_revealsNeitherTokenNorIds() {
    String scope = TaskKey.callerScope(caller("client-id-visible", "subject-visible"));

    assertThat(scope)
        .startsWith("caller:")
        .doesNotContain(SECRET, "client-id-visible", "subject-visible");
  }

  @Test
  void forCaller_withInvalidTaskId_throwsNamingTaskId() {
    assertThatThrownBy(() -> TaskKey.forCaller(null, "bad\nid"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("taskId");
  }

  @Test
  void random_givesDistinctIdsInTheCallersScope() {
    AccessToken alice = caller("client", "alice");
    TaskKey first = TaskKey.random(alice);
    TaskKey second = TaskKey.random(alice);

    assertThat(first.scope()).isEqualTo(second.scope()).isEqualTo(TaskKey.callerScope(alice));
    assertThat(first.taskId()).isNotEqualTo(second.taskId());
  }

  // ------------------------------------------------------------------ toString

  @Test
  void toString_ofARandomKey_showsTheScopeAndEightCharsOfTheId_neverTheWholeId() {
    TaskKey key = TaskKey.random(caller("app", "alice"));

    assertThat(key.toString())
        .isEqualTo("TaskKey[scope=" + key.scope() + ", taskId=" + key.taskId().substring(0, 8)
            + "...(36 chars)]")
        .doesNotContain(key.taskId())
        .doesNotContain(key.encoded());
  }

  @Test
  void toString_ofAShortId_showsAtMostHalfOfIt() {
    assertThat(new TaskKey("jobs", "leaky-1")).hasToString("TaskKey[scope=jobs, taskId=lea...(7 chars)]");
    assertThat(new TaskKey("jobs", "x")).hasToString("TaskKey[scope=jobs, taskId=...(1 chars)]");
  }

  @Test
  void toString_neverSplitsASurrogatePair() {
    String id = "abc\uD83D\uDE00def"; // 8 chars: half (4) ends inside the pair

    assertThat(new TaskKey("s", id)).hasToString("TaskKey[scope=s, taskId=abc...(8 chars)]");
  }
}
