package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.baton.codec.JsonSnapshotCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Coverage-guided fuzzing of {@link AccessToken} and {@link TaskKey} construction from hostile
 * input (Jazzer): any strings (controls, unpaired surrogates, blanks), any claim trees (deep,
 * non-finite numbers, foreign types). Under {@code mvn verify} this replays the committed inputs
 * in {@code TokenInputFuzzTestInputs/}; {@code scripts/fuzz} runs it as a fuzzer.
 *
 * <p>The rules: construction fails only with {@link IllegalArgumentException} or
 * {@link NullPointerException}, never with a message holding the token; what is accepted is a
 * value every codec can carry: it encodes and decodes back equal.
 */
class TokenInputFuzzTest {
  private static final JsonSnapshotCodec JSON = JsonSnapshotCodec.create();
  private static final TaskKey KEY = new TaskKey("caller:fuzz", "task-1");

  @FuzzTest(maxDuration = "2m")
  void taskKey_anyParts_isRefusedOrEncodesInjectively(FuzzedDataProvider data) {
    String scope = data.consumeString(300);
    String taskId = data.consumeRemainingAsString();
    TaskKey key;
    try {
      key = new TaskKey(scope, taskId);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    String encoded = key.encoded();
    assertThat(encoded).doesNotContain("{", "}");
    assertThat(encoded.indexOf(':')).isEqualTo(encoded.lastIndexOf(':')).isNotNegative();
    assertThat(new TaskKey(key.scope(), key.taskId())).isEqualTo(key);
  }

  @FuzzTest(maxDuration = "3m")
  void accessToken_anyComponents_isRefusedOrRoundTrips(FuzzedDataProvider data) {
    String token = data.consumeString(80);
    String clientId = data.consumeString(40);
    List<String> scopes = new ArrayList<>();
    for (int i = data.consumeInt(0, 4); i > 0; i--) {
      scopes.add(data.consumeString(20));
    }
    @Nullable Instant expiresAt = data.consumeBoolean() ? null
        : Instant.ofEpochSecond(
            data.consumeLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
            data.consumeInt(0, 999_999_999));
    @Nullable String resource = data.consumeBoolean() ? null : data.consumeString(40);
    Map<String, @Nullable Object> claims = claimObject(data, 0);

    // The token is looked for only when it is distinctive: long, and not also a value that may be
    // shown, such as a scope (the fuzzer found that case first; it is a coincidence, not a leak).
    boolean distinctive = token.length() >= 8
        && !(clientId + scopes + resource + claims.keySet()).contains(token);
    AccessToken accessToken;
    try {
      accessToken = new AccessToken(token, clientId, scopes, expiresAt, resource, claims);
    } catch (IllegalArgumentException | NullPointerException e) {
      if (distinctive) {
        assertThat(String.valueOf(e.getMessage())).doesNotContain(token);
      }
      return;
    }
    if (distinctive) {
      assertThat(accessToken.toString()).doesNotContain(token);
    }
    TokenSnapshot snapshot = TokenSnapshot.of(accessToken, Instant.EPOCH);
    assertThat(JSON.decode(KEY, JSON.encode(KEY, snapshot))).isEqualTo(snapshot);
  }

  /** A claim object from the input: up to 40 levels deep, so past AccessToken's limit. */
  private static Map<String, @Nullable Object> claimObject(FuzzedDataProvider data, int depth) {
    var map = new LinkedHashMap<String, @Nullable Object>();
    for (int i = data.consumeInt(0, 3); i > 0; i--) {
      map.put(data.consumeString(12), claimValue(data, depth + 1));
    }
    return map;
  }

  private static @Nullable Object claimValue(FuzzedDataProvider data, int depth) {
    int kind = data.consumeInt(0, depth >= 40 ? 10 : 12);
    return switch (kind) {
      case 0 -> null;
      case 1 -> data.consumeBoolean();
      case 2 -> data.consumeString(30);
      case 3 -> data.consumeInt();
      case 4 -> data.consumeLong();
      case 5 -> data.consumeRegularDouble() * (data.consumeBoolean() ? 1 : 0) + data.consumeDouble();
      case 6 -> data.consumeFloat();
      case 7 -> new BigInteger(data.consumeString(60).chars()
          .map(c -> '0' + Math.floorMod(c, 10)).collect(StringBuilder::new,
              StringBuilder::appendCodePoint, StringBuilder::append)
          .insert(0, '1').toString());
      case 8 -> BigDecimal.valueOf(data.consumeLong(), data.consumeInt(-400, 400));
      case 9 -> (short) data.consumeInt(); // not a JSON type AccessToken accepts
      case 10 -> data.consumeString(4).isEmpty() ? new Object() : List.of(); // foreign types
      case 11 -> {
        var list = new ArrayList<@Nullable Object>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
          list.add(claimValue(data, depth + 1));
        }
        yield list;
      }
      default -> claimObject(data, depth);
    };
  }
}
