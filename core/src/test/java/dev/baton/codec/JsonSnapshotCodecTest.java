package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class JsonSnapshotCodecTest {
  private static final TaskKey KEY = new TaskKey("caller:abc", "task-1");
  private static final Instant CAPTURED = Instant.parse("2025-01-02T03:04:05.123456789Z");
  private static final String SECRET = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl";
  private final JsonSnapshotCodec codec = JsonSnapshotCodec.create();

  private static AccessToken token(Map<String, @Nullable Object> claims) {
    return new AccessToken(SECRET, "client-1", List.of("read", "write"),
        Instant.parse("2025-01-02T04:04:05.000000001Z"), "https://api.example", claims);
  }

  private String encodeToString(TokenSnapshot snapshot) {
    return new String(codec.encode(KEY, snapshot), StandardCharsets.UTF_8);
  }

  private TokenSnapshot decode(String json) {
    return codec.decode(KEY, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void encode_anonymous_writesVersionCaptureTimeAndMarker() {
    assertThat(encodeToString(TokenSnapshot.anonymous(CAPTURED)))
        .isEqualTo("{\"v\":1,\"captured_at\":\"2025-01-02T03:04:05.123456789Z\",\"anonymous\":true}");
  }

  @Test
  void encode_token_writesEveryFieldInOrder() {
    var snapshot = TokenSnapshot.of(token(Map.of("sub", "alice")), CAPTURED);
    assertThat(encodeToString(snapshot)).isEqualTo("{\"v\":1,"
        + "\"captured_at\":\"2025-01-02T03:04:05.123456789Z\","
        + "\"token\":{\"token\":\"" + SECRET + "\",\"client_id\":\"client-1\","
        + "\"scopes\":[\"read\",\"write\"],\"expires_at\":\"2025-01-02T04:04:05.000000001Z\","
        + "\"resource\":\"https://api.example\",\"claims\":{\"sub\":\"alice\"}}}");
  }

  @Test
  void encode_nullOptionalFields_writesExplicitNulls() {
    var snapshot = TokenSnapshot.of(AccessToken.of(SECRET, "client-1"), CAPTURED);
    assertThat(encodeToString(snapshot))
        .contains("\"expires_at\":null,\"resource\":null,\"claims\":{}");
  }

  @Test
  void encode_nonAscii_writesEscapes() {
    var snapshot = TokenSnapshot.of(token(Map.of("name", "Zoë 😀")), CAPTURED);
    assertThat(encodeToString(snapshot)).contains("\"name\":\"Zo\\u00EB \\uD83D\\uDE00\"");
  }

  @Test
  void decodeOfEncode_anonymous_isEqual() {
    var snapshot = TokenSnapshot.anonymous(CAPTURED);
    assertThat(codec.decode(KEY, codec.encode(KEY, snapshot))).isEqualTo(snapshot);
  }

  @Test
  void decodeOfEncode_everyClaimType_isEqual() {
    var nested = new LinkedHashMap<String, @Nullable Object>();
    nested.put("null", null);
    nested.put("list", List.of(1, "two", List.of(), Map.of()));
    var claims = new LinkedHashMap<String, @Nullable Object>();
    claims.put("int", 42);
    claims.put("long", Long.MIN_VALUE);
    claims.put("double", 0.1);
    claims.put("float", 1.5f);
    claims.put("integralDouble", 3.0);
    claims.put("hugeDouble", Double.MAX_VALUE);
    claims.put("tinyDouble", Double.MIN_VALUE);
    claims.put("bigInteger", BigInteger.TEN.pow(60).negate());
    claims.put("bigDecimal", new BigDecimal("1.500"));
    claims.put("smallDecimal", new BigDecimal("1E-30"));
    claims.put("bool", true);
    claims.put("empty", "");
    claims.put("", "empty name");
    claims.put("unicode", "\u00e9\u4e2d\ud83d\ude00\u2028");
    claims.put("@class", "java.lang.ProcessBuilder");
    claims.put("nested", nested);
    var snapshot = TokenSnapshot.of(token(claims), CAPTURED);

    TokenSnapshot decoded = codec.decode(KEY, codec.encode(KEY, snapshot));

    assertThat(decoded).isEqualTo(snapshot);
    assertThat(decoded.accessToken().orElseThrow().claims().get("@class"))
        .isEqualTo("java.lang.ProcessBuilder");
  }

  @Test
  void decodeOfEncode_extremeInstants_isEqual() {
    for (Instant instant : List.of(Instant.MIN, Instant.MAX, Instant.EPOCH,
        Instant.ofEpochSecond(-1, 999_999_999))) {
      var snapshot = TokenSnapshot.of(
          new AccessToken(SECRET, "c", List.of(), instant, null, Map.of()), instant);
      assertThat(codec.decode(KEY, codec.encode(KEY, snapshot))).isEqualTo(snapshot);
    }
  }

  @Test
  void decodeOfEncode_claimsNestedToAccessTokensLimit_isEqual() {
    @Nullable Object value = "leaf";
    for (int i = 0; i < JsonSnapshotCodec.MAX_CLAIM_DEPTH; i++) {
      value = i % 2 == 0 ? List.of(value) : Map.of("n", value);
    }
    var snapshot = TokenSnapshot.of(token(Map.of("deep", value)), CAPTURED);
    assertThat(codec.decode(KEY, codec.encode(KEY, snapshot))).isEqualTo(snapshot);
  }

  @Test
  void encode_overTheLimit_throwsIllegalArgumentWithSizes() {
    var small = JsonSnapshotCodec.builder().maxEncodedBytes(100).build();
    var snapshot = TokenSnapshot.of(token(Map.of()), CAPTURED);
    assertThatThrownBy(() -> small.encode(KEY, snapshot))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("snapshot encodes to \\d+ bytes, over the limit of 100")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void decode_fieldsInAnyOrderAfterVersion_isAccepted() {
    assertThat(decode("{\"v\":1,\"anonymous\":true,\"captured_at\":\"1970-01-01T00:00:00Z\"}"))
        .isEqualTo(TokenSnapshot.anonymous(Instant.EPOCH));
  }

  @Test
  void decode_whitespaceBetweenTokens_isAccepted() {
    assertThat(decode(" {\n \"v\" : 1 ,\t\"captured_at\":\"1970-01-01T00:00:00Z\",\r\n"
        + "\"anonymous\":true }\n")).isEqualTo(TokenSnapshot.anonymous(Instant.EPOCH));
  }

  @Test
  void decode_unknownVersion_throwsNamingBothVersions() {
    assertThatThrownBy(() -> decode("{\"v\":7,\"anything\":[1,2,3]}"))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("unsupported snapshot format version 7; this Baton reads version 1")
        .hasMessageContaining(KEY.toString());
  }

  @Test
  void decode_hugeVersion_throwsUnsupportedVersion() {
    assertThatThrownBy(() -> decode("{\"v\":123456789012345678901234567890}"))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("unsupported snapshot format version (out of range)");
  }

  @Test
  void decode_versionNotFirst_throws() {
    assertThatThrownBy(() -> decode(
        "{\"captured_at\":\"1970-01-01T00:00:00Z\",\"v\":1,\"anonymous\":true}"))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("must start with its format version field \"v\"");
  }

  @Test
  void decode_missingCaptureTime_throws() {
    assertThatThrownBy(() -> decode("{\"v\":1,\"anonymous\":true}"))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("missing field \"captured_at\"");
  }

  @Test
  void decode_neitherAnonymousNorToken_throws() {
    assertThatThrownBy(() -> decode("{\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\"}"))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("exactly one of \"anonymous\" and \"token\"");
  }

  @Test
  void decode_bothAnonymousAndToken_throws() {
    String json = encodeToString(TokenSnapshot.of(token(Map.of()), CAPTURED))
        .replace("\"token\":{", "\"anonymous\":true,\"token\":{");
    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("exactly one of \"anonymous\" and \"token\"")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void decode_missingTokenField_throwsNamingTheField() {
    String json = encodeToString(TokenSnapshot.of(token(Map.of()), CAPTURED))
        .replace("\"resource\":\"https://api.example\",", "");
    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("missing field \"token.resource\"")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void decode_blankToken_throwsWithoutEchoingIt() {
    String json = encodeToString(TokenSnapshot.of(token(Map.of()), CAPTURED))
        .replace(SECRET, "   ");
    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("\"token.token\" must not be blank");
  }

  @Test
  void decode_malformedJson_namesLineAndColumnButNotTheInput() {
    String json = "{\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\",\n\"token\":{\"token\":\""
        + SECRET + "\" \"client_id\":\"c\"}}";
    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("malformed JSON at line 2, column")
        .hasMessageNotContaining(SECRET)
        .hasNoCause();
  }

  @Test
  void decode_truncatedJson_saysTruncated() {
    String json = encodeToString(TokenSnapshot.of(token(Map.of()), CAPTURED));
    String cut = json.substring(0, json.indexOf(SECRET) + 10);
    assertThatThrownBy(() -> decode(cut))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("JSON is truncated")
        .hasMessageNotContaining(SECRET.substring(0, 10))
        .hasNoCause();
  }

  @Test
  void decode_rawUtf8Text_readsAsItsEscapedForm() {
    String escaped = "{\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\",\"token\":{\"token\":\"t\","
        + "\"client_id\":\"c\",\"scopes\":[],\"expires_at\":null,\"resource\":null,"
        + "\"claims\":{\"name\":\"\\u00e9\\ud83d\\ude00\"}}}";
    String raw = escaped.replace("\\u00e9\\ud83d\\ude00", "\u00e9\ud83d\ude00");

    assertThat(decode(raw)).isEqualTo(decode(escaped));
    assertThat(decode(raw).accessToken().orElseThrow().claims())
        .containsEntry("name", "\u00e9\ud83d\ude00");
  }

  @Test
  void decode_nulByteInAsciiValue_isMalformedJson() {
    byte[] bytes = "{\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true}"
        .getBytes(StandardCharsets.UTF_8);
    bytes[1] = 0;

    assertThatThrownBy(() -> codec.decode(KEY, bytes))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("malformed JSON at line 1")
        .hasNoCause();
  }

  @Test
  void decode_leadingNulBytes_areNotReadAsUtf16() {
    String json = "{\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true}";
    var utf16 = new StringBuilder();
    for (char c : json.toCharArray()) {
      utf16.append('\0').append(c);
    }

    assertThatThrownBy(() -> decode(utf16.toString()))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("malformed JSON")
        .hasNoCause();
  }

  @Test
  void decode_invalidUtf8_throws() {
    byte[] bytes = "{\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true}"
        .getBytes(StandardCharsets.UTF_8);
    bytes[25] = (byte) 0xC0;
    assertThatThrownBy(() -> codec.decode(KEY, bytes))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void decode_overTheLimit_throwsBeforeParsing() {
    var small = JsonSnapshotCodec.builder().maxEncodedBytes(10).build();
    assertThatThrownBy(() -> small.decode(KEY, new byte[11]))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("value is 11 bytes, over the limit of 10");
  }

  @Test
  void decode_trailingContent_throws() {
    assertThatThrownBy(() -> decode(
        "{\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true} {}"))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("unexpected content after the snapshot object");
  }

  @Test
  void decode_nullArguments_throwNullPointer() {
    assertThatThrownBy(() -> codec.decode(KEY, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> codec.decode(null, new byte[0]))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void builder_maxEncodedBytesTwice_throwsIllegalState() {
    var builder = JsonSnapshotCodec.builder().maxEncodedBytes(1000);
    assertThatThrownBy(() -> builder.maxEncodedBytes(2000))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builder_nonPositiveMaxEncodedBytes_throwsIllegalArgument() {
    assertThatThrownBy(() -> JsonSnapshotCodec.builder().maxEncodedBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEncodedBytes must be positive: 0");
  }

  @Test
  void create_usesTheDefaultLimit() {
    assertThat(codec.maxEncodedBytes()).isEqualTo(JsonSnapshotCodec.DEFAULT_MAX_ENCODED_BYTES);
  }

  @Test
  void deepClaimsBeyondAccessTokensLimit_areRefusedWithoutNamingClaims() {
    var sb = new StringBuilder("{\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\",\"token\":{"
        + "\"token\":\"t\",\"client_id\":\"c\",\"scopes\":[],\"expires_at\":null,"
        + "\"resource\":null,\"claims\":{\"secretName\":");
    int containers = JsonSnapshotCodec.MAX_CLAIM_DEPTH + 1;
    sb.append("[".repeat(containers)).append("]".repeat(containers)).append("}}}");
    assertThatThrownBy(() -> decode(sb.toString()))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("claims nest deeper than 32 levels")
        .hasMessageNotContaining("secretName");
  }

  @Test
  void decodeOfEncode_manyClaims_isEqual() {
    var claims = new LinkedHashMap<String, @Nullable Object>();
    var list = new ArrayList<@Nullable Object>();
    for (int i = 0; i < 500; i++) {
      claims.put("c" + i, i);
      list.add(i % 3 == 0 ? null : "v" + i);
    }
    claims.put("list", list);
    var snapshot = TokenSnapshot.of(token(claims), CAPTURED);
    assertThat(codec.decode(KEY, codec.encode(KEY, snapshot))).isEqualTo(snapshot);
  }
}
