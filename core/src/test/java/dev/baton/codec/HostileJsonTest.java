package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.TaskKey;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Inputs built to hurt a JSON reader: each is refused with a {@link SnapshotDecodeException} whose
 * message quotes nothing from the input. Work stays bounded: the size check comes before parsing
 * and the parser's limits stop the rest early (these tests finish in milliseconds; none asserts a
 * time).
 */
class HostileJsonTest {
  private static final TaskKey KEY = new TaskKey("caller:abc", "task-1");
  private static final String SECRET = "tok_HOSTILE0123456789abcdef";
  private static final String HEAD = "{\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\",";
  private final JsonSnapshotCodec codec = JsonSnapshotCodec.create();

  /** A token object whose fields are valid except where {@code field} is replaced. */
  private static String withToken(String field, String json) {
    String token = "\"token\":\"" + SECRET + "\"";
    String clientId = "\"client_id\":\"c\"";
    String scopes = "\"scopes\":[\"read\"]";
    String expiresAt = "\"expires_at\":null";
    String resource = "\"resource\":null";
    String claims = "\"claims\":{}";
    switch (field) {
      case "token" -> token = "\"token\":" + json;
      case "client_id" -> clientId = "\"client_id\":" + json;
      case "scopes" -> scopes = "\"scopes\":" + json;
      case "expires_at" -> expiresAt = "\"expires_at\":" + json;
      case "resource" -> resource = "\"resource\":" + json;
      case "claims" -> claims = "\"claims\":" + json;
      default -> throw new IllegalArgumentException(field);
    }
    return HEAD + "\"token\":{" + String.join(",", token, clientId, scopes, expiresAt, resource,
        claims) + "}}";
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String json) {
    return assertRefused(json.getBytes(StandardCharsets.UTF_8));
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(byte[] bytes) {
    return assertThatThrownBy(() -> codec.decode(KEY, bytes))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageNotContaining(SECRET)
        .hasNoCause();
  }

  // ---- size and depth ------------------------------------------------------------------------

  @Test
  void deepNestingUnderAnUnknownField_isRefusedAtTheField() {
    String json = HEAD + "\"x\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";
    assertRefused(json).hasMessageContaining("unknown field in snapshot");
  }

  @Test
  void deepNestingInClaims_isRefusedAtAccessTokensDepthLimit() {
    assertRefused(withToken("claims", "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"))
        .hasMessageContaining("claims nest deeper than 32 levels");
  }

  @Test
  void deepNestingInClaims_isRefusedBeforeTheParserReadsItAll() {
    // Unbalanced on purpose: the reader must stop long before the (missing) closing brackets.
    assertRefused(withToken("claims", "{\"a\":" + "[".repeat(60_000)))
        .hasMessageContaining("claims nest deeper than 32 levels");
  }

  @Test
  void hugeString_isRefusedBeforeParsing() {
    String json = withToken("client_id", "\"" + "A".repeat(10 * 1024 * 1024) + "\"");
    assertRefused(json).hasMessageMatching(".*value is \\d+ bytes, over the limit of 65536");
  }

  @Test
  void hugeInteger_isRefusedAtTheNumberLengthLimit() {
    assertRefused(withToken("claims", "{\"n\":" + "9".repeat(5_000) + "}"))
        .hasMessageContaining("exceeds a parser limit");
  }

  @Test
  void hugeFraction_isRefusedAtTheNumberLengthLimit() {
    assertRefused(withToken("claims", "{\"n\":0." + "1".repeat(5_000) + "}"))
        .hasMessageContaining("exceeds a parser limit");
  }

  @Test
  void exponentBomb_isRefusedBeforeExpansion() {
    assertRefused(withToken("claims", "{\"n\":1e999999999}"))
        .hasMessageContaining("more than 400 digits");
  }

  @Test
  void zeroWithHugeExponent_isRefusedBeforeExpansion() {
    assertRefused(withToken("claims", "{\"n\":0E+2147483647}"))
        .hasMessageContaining("more than 400 digits");
  }

  @Test
  void exponentOutOfIntRange_isRefused() {
    assertRefused(withToken("claims", "{\"n\":1e99999999999}"));
  }

  @Test
  void negativeExponentOutOfIntRange_isRefused() {
    assertRefused(withToken("claims", "{\"n\":1e-9999999999}"));
  }

  @Test
  void manyFieldsWithinTheLimit_areRefusedAsUnknownFields() {
    var sb = new StringBuilder(HEAD);
    for (int i = 0; i < 5_000; i++) {
      sb.append("\"f").append(i).append("\":0,");
    }
    sb.append("\"anonymous\":true}");
    assertRefused(sb.toString()).hasMessageContaining("unknown field in snapshot");
  }

  // ---- duplicates ----------------------------------------------------------------------------

  @Test
  void duplicateVersion_isRefused() {
    assertRefused("{\"v\":1,\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true}")
        .hasMessageContaining("duplicate field \"v\"");
  }

  @Test
  void duplicateCaptureTime_isRefused() {
    assertRefused(HEAD + "\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true}")
        .hasMessageContaining("duplicate field \"captured_at\"");
  }

  @Test
  void duplicateTokenField_isRefused() {
    String json = withToken("client_id", "\"c\",\"token\":\"tok_other\"");
    assertRefused(json).hasMessageContaining("duplicate field \"token.token\"")
        .hasMessageNotContaining("tok_other");
  }

  @Test
  void duplicateClaimName_isRefusedWithoutNamingIt() {
    assertRefused(withToken("claims", "{\"secretName\":1,\"secretName\":2}"))
        .hasMessageContaining("duplicate claim name")
        .hasMessageNotContaining("secretName");
  }

  // ---- type confusion ------------------------------------------------------------------------

  @Test
  void versionAsString_isRefused() {
    assertRefused("{\"v\":\"1\",\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true}")
        .hasMessageContaining("\"v\" must be an integer");
  }

  @Test
  void versionAsFloat_isRefused() {
    assertRefused("{\"v\":1.0,\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true}")
        .hasMessageContaining("\"v\" must be an integer");
  }

  @Test
  void scopesAsObject_isRefused() {
    assertRefused(withToken("scopes", "{\"read\":true}"))
        .hasMessageContaining("\"token.scopes\" must be an array of strings");
  }

  @Test
  void scopesAsString_isRefused() {
    assertRefused(withToken("scopes", "\"read write\""))
        .hasMessageContaining("\"token.scopes\" must be an array of strings");
  }

  @Test
  void scopeAsNumber_isRefused() {
    assertRefused(withToken("scopes", "[\"read\",7]"))
        .hasMessageContaining("\"token.scopes[1]\" must be a string");
  }

  @Test
  void scopeAsNull_isRefused() {
    assertRefused(withToken("scopes", "[null]"))
        .hasMessageContaining("\"token.scopes[0]\" must be a string");
  }

  @Test
  void expiresAtAsNonIsoString_isRefusedWithoutEchoingIt() {
    assertRefused(withToken("expires_at", "\"tomorrow " + SECRET + "\""))
        .hasMessageContaining("\"token.expires_at\" is not an ISO-8601 instant");
  }

  @Test
  void expiresAtAsNumber_isRefused() {
    assertRefused(withToken("expires_at", "1735689600"))
        .hasMessageContaining("\"token.expires_at\" must be an ISO-8601 instant string");
  }

  @Test
  void expiresAtOutOfInstantRange_isRefused() {
    assertRefused(withToken("expires_at", "\"+1000000001-01-01T00:00:00Z\""))
        .hasMessageContaining("is not an ISO-8601 instant");
  }

  @Test
  void tokenAsNumber_isRefused() {
    assertRefused(withToken("token", "12345")).hasMessageContaining("\"token.token\" must be a string");
  }

  @Test
  void tokenAsArray_isRefused() {
    assertRefused(withToken("token", "[\"" + SECRET + "\"]"))
        .hasMessageContaining("\"token.token\" must be a string");
  }

  @Test
  void tokenObjectAsString_isRefused() {
    assertRefused(HEAD + "\"token\":\"" + SECRET + "\"}")
        .hasMessageContaining("\"token\" must be an object");
  }

  @Test
  void claimsAsArray_isRefused() {
    assertRefused(withToken("claims", "[1,2]")).hasMessageContaining("\"token.claims\" must be an object");
  }

  @Test
  void claimsAsNull_isRefused() {
    assertRefused(withToken("claims", "null")).hasMessageContaining("\"token.claims\" must be an object");
  }

  @Test
  void resourceAsBoolean_isRefused() {
    assertRefused(withToken("resource", "true")).hasMessageContaining("\"token.resource\" must be a string");
  }

  @Test
  void anonymousAsString_isRefused() {
    assertRefused(HEAD + "\"anonymous\":\"true\"}")
        .hasMessageContaining("\"anonymous\" must be true when present");
  }

  @Test
  void anonymousFalse_isRefused() {
    assertRefused(HEAD + "\"anonymous\":false}")
        .hasMessageContaining("\"anonymous\" must be true when present");
  }

  @Test
  void rootArray_isRefused() {
    assertRefused("[" + HEAD + "\"anonymous\":true}]")
        .hasMessageContaining("a snapshot must be a JSON object");
  }

  @Test
  void rootScalar_isRefused() {
    assertRefused("\"" + SECRET + "\"").hasMessageContaining("a snapshot must be a JSON object");
  }

  @Test
  void emptyInput_isRefused() {
    assertRefused(new byte[0]).hasMessageContaining("a snapshot must be a JSON object");
  }

  // ---- polymorphic type hints ----------------------------------------------------------------

  @Test
  void classHintAtTheRoot_isAnUnknownField() {
    assertRefused("{\"v\":1,\"@class\":\"java.lang.ProcessBuilder\","
        + "\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true}")
        .hasMessageContaining("unknown field in snapshot")
        .hasMessageNotContaining("ProcessBuilder");
  }

  @Test
  void typeHintInTheTokenObject_isAnUnknownField() {
    assertRefused(HEAD + "\"token\":{\"@type\":\"com.sun.rowset.JdbcRowSetImpl\","
        + "\"token\":\"" + SECRET + "\"}}")
        .hasMessageContaining("unknown field in token")
        .hasMessageNotContaining("JdbcRowSetImpl");
  }

  @Test
  void wrapperArrayTyping_isRefused() {
    assertRefused("[\"dev.baton.TokenSnapshot\"," + HEAD + "\"anonymous\":true}]")
        .hasMessageContaining("a snapshot must be a JSON object");
  }

  @Test
  void wrapperObjectTypingAsTokenValue_isRefused() {
    assertRefused(HEAD + "\"token\":[\"dev.baton.AccessToken\",{\"token\":\"" + SECRET + "\"}]}")
        .hasMessageContaining("\"token\" must be an object");
  }

  // ---- lexical tricks ------------------------------------------------------------------------

  @Test
  void comments_areRefused() {
    assertRefused("{/* x */\"v\":1,\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true}")
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void singleQuotes_areRefused() {
    assertRefused("{'v':1,'captured_at':'1970-01-01T00:00:00Z','anonymous':true}")
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void nonFiniteNumbers_areRefused() {
    assertRefused(withToken("claims", "{\"n\":NaN}")).hasMessageContaining("malformed JSON");
  }

  @Test
  void leadingZeros_areRefused() {
    assertRefused("{\"v\":01,\"captured_at\":\"1970-01-01T00:00:00Z\",\"anonymous\":true}")
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void byteOrderMark_isRefused() {
    byte[] json = (HEAD + "\"anonymous\":true}").getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[json.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(json, 0, withBom, 3, json.length);
    assertRefused(withBom);
  }

  @Test
  void utf16Input_isRefused() {
    assertRefused((HEAD + "\"anonymous\":true}").getBytes(StandardCharsets.UTF_16BE));
  }

  @Test
  void overlongUtf8_isRefused() {
    byte[] json = (HEAD + "\"anonymous\":true}").getBytes(StandardCharsets.UTF_8);
    byte[] overlong = new byte[json.length + 1];
    System.arraycopy(json, 0, overlong, 0, 1);
    overlong[1] = (byte) 0xC0; // overlong encoding of '"'
    overlong[2] = (byte) 0xA2;
    System.arraycopy(json, 2, overlong, 3, json.length - 2);
    assertRefused(overlong).hasMessageContaining("not valid UTF-8");
  }
}
