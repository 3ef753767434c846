package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StoreUriParametersTest {
  private static final List<String> KNOWN = List.of("maximumSize", "mode", "sealingKeys",
      "keyPrefix", "password");
  private static final List<String> SECRET = List.of("sealingKeys");

  private static StoreUriParameters parse(String uri) {
    return StoreUriParameters.parse("memory", URI.create(uri), KNOWN, SECRET);
  }

  /** For queries that {@link URI} itself refuses. */
  private static StoreUriParameters parseQuery(String query) {
    return StoreUriParameters.parseQuery("memory", query, KNOWN, SECRET);
  }

  @Test
  void parse_opaqueUri_readsQueryAfterQuestionMark() {
    var parameters = parse("memory:local?mode=bytes&maximumSize=10");

    assertThat(parameters.get("mode")).contains("bytes");
    assertThat(parameters.get("maximumSize")).contains("10");
    assertThat(parameters.get("sealingKeys")).isEmpty();
  }

  @Test
  void parse_hierarchicalUri_readsQuery() {
    var parameters = parse("redis://127.0.0.1:6379/0?keyPrefix=app:");

    assertThat(parameters.get("keyPrefix")).contains("app:");
  }

  @Test
  void parse_noQuery_hasNoParameters() {
    assertThat(parse("memory:local").names()).isEmpty();
    assertThat(parse("memory:local?").names()).isEmpty();
    assertThat(parse("redis://127.0.0.1").names()).isEmpty();
  }

  @Test
  void parse_orderOfParameters_doesNotMatter() {
    var one = parse("memory:local?sealingKeys=env:K&mode=bytes");
    var other = parse("memory:local?mode=bytes&sealingKeys=env:K");

    for (String name : KNOWN) {
      assertThat(one.get(name)).as(name).isEqualTo(other.get(name));
    }
  }

  @Test
  void parse_percentEncoded_isDecodedAsUtf8() {
    var parameters = parse("memory:local?keyPrefix=a%2Fb%3D%26%C3%A9&mode=%62ytes");

    assertThat(parameters.get("keyPrefix")).contains("a/b=&\u00e9");
    assertThat(parameters.get("mode")).contains("bytes");
    assertThat(parameters.rawValue("keyPrefix")).contains("a%2Fb%3D%26%C3%A9");
  }

  @Test
  void parse_plus_staysPlus() {
    assertThat(parse("memory:local?keyPrefix=a+b").get("keyPrefix")).contains("a+b");
  }

  @Test
  void parse_percentEncodedName_isDecoded() {
    assertThat(parse("memory:local?mo%64e=bytes").get("mode")).contains("bytes");
  }

  @Test
  void parse_emptyPairs_areSkipped() {
    var parameters = parse("memory:local?&mode=bytes&&maximumSize=1&");

    assertThat(parameters.names()).containsExactly("mode", "maximumSize");
  }

  @Test
  void parse_emptyValue_isEmptyString() {
    assertThat(parse("memory:local?keyPrefix=").get("keyPrefix")).contains("");
  }

  @Test
  void parse_valueContainingEquals_keepsRest() {
    assertThat(parse("memory:local?keyPrefix=a=b").get("keyPrefix")).contains("a=b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sealingkeys", "sealing_keys", "sealingKey", "SEALINGKEYS",
      "sealing-keys", "sealingKys", "SealingKeys"})
  void parse_variantOfKnownName_isRefusedWithSuggestion(String typo) {
    assertThatThrownBy(() -> parse("memory:local?" + typo + "=env:K"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown memory store parameter '" + typo + "'")
        .hasMessageContaining("did you mean 'sealingKeys'?")
        .hasMessageContaining("known: keyPrefix, maximumSize, mode, password, sealingKeys")
        .hasMessageNotContaining("env:K");
  }

  @Test
  void parse_unrelatedUnknownName_isRefusedWithoutSuggestion() {
    assertThatThrownBy(() -> parse("memory:local?colour=blue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown memory store parameter 'colour'")
        .hasMessageNotContaining("did you mean")
        .hasMessageContaining("known: keyPrefix, maximumSize, mode, password, sealingKeys")
        .hasMessageNotContaining("blue");
  }

  @Test
  void parse_unknownNameAfterKnownOnes_isRefused() {
    assertThatThrownBy(() -> parse("memory:local?mode=bytes&maximumSize=3&sealingkeys=env:K"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'sealingkeys'");
  }

  @Test
  void parse_unknownName_isQuotedShortAndPrintable() {
    String longName = "x".repeat(100) + "\n";

    assertThatThrownBy(() -> parse("memory:local?" + longName.replace("\n", "%0A") + "=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + "x".repeat(40) + "...'")
        .hasMessageNotContaining("\n");
  }

  @Test
  void parse_duplicateName_isRefused() {
    assertThatThrownBy(() -> parse("memory:local?mode=bytes&mode=bytes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter 'mode' is given twice");
  }

  @Test
  void parse_duplicateSecret_isRefusedWithoutValues() {
    assertThatThrownBy(() -> parse("memory:local?sealingKeys=env:A&sealingKeys=env:B"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'sealingKeys' is given twice")
        .hasMessageNotContaining("env:A")
        .hasMessageNotContaining("env:B");
  }

  @Test
  void parse_nameWithoutValue_isRefused() {
    assertThatThrownBy(() -> parse("memory:local?mode"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mode' needs a value: mode=VALUE");
  }

  @Test
  void parse_malformedEscape_isRefusedWithoutValue() {
    assertThatThrownBy(() -> parseQuery("password=hunter2%G1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory store parameter password has a malformed percent escape")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void parse_truncatedEscape_isRefused() {
    assertThatThrownBy(() -> parseQuery("mode=bytes%2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed percent escape");
  }

  @Test
  void parse_invalidUtf8_isRefused() {
    assertThatThrownBy(() -> parse("memory:local?keyPrefix=%C3%28"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyPrefix is not valid UTF-8");
  }

  @Test
  void parseQuery_secretNotKnown_isRefused() {
    assertThatThrownBy(() -> StoreUriParameters.parseQuery("x", "", List.of("a"), List.of("b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secret parameter 'b' is not a known one");
  }

  @Test
  void parseQuery_nullArguments_throwNpe() {
    assertThatThrownBy(() -> StoreUriParameters.parseQuery(null, "", List.of(), List.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("store");
    assertThatThrownBy(() -> StoreUriParameters.parseQuery("x", "", null, List.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("known");
    assertThatThrownBy(() -> StoreUriParameters.parse("x", null, List.of(), List.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("uri");
  }

  @Test
  void parseQuery_noKnownNames_saysStoreTakesNone() {
    assertThatThrownBy(() -> StoreUriParameters.parseQuery("plain", "a=1", List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("this store takes no parameters");
  }

  @Test
  void get_unknownName_isAProviderBug() {
    assertThatThrownBy(() -> parse("memory:local").get("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope' is not a known memory store parameter");
  }

  @Test
  void invalid_plainParameter_quotesValue() {
    var parameters = parse("memory:local?mode=objet");

    assertThat(parameters.invalid("mode", "must be 'object' or 'bytes'"))
        .hasMessage("memory store parameter mode must be 'object' or 'bytes', was 'objet'");
  }

  @Test
  void invalid_declaredSecret_hidesValue() {
    var parameters = parse("memory:local?sealingKeys=env:K");

    assertThat(parameters.invalid("sealingKeys", "must be env:NAME or file:PATH"))
        .hasMessage("memory store parameter sealingKeys must be env:NAME or file:PATH"
            + " (value not shown)");
  }

  @Test
  void invalid_nameThatLooksSecret_hidesValue() {
    var parameters = StoreUriParameters.parseQuery("jdbc", "password=hunter2&apiToken=t0k&signingKey=k",
        List.of("password", "apiToken", "signingKey"), List.of());

    assertThat(parameters.invalid("password", "is too short")).hasMessageNotContaining("hunter2");
    assertThat(parameters.invalid("apiToken", "is too short")).hasMessageNotContaining("t0k");
    assertThat(parameters.invalid("signingKey", "is too short")).hasMessageNotContaining("'k'");
  }

  @Test
  void isSecret_keyPrefix_isNotSecret() {
    assertThat(parse("memory:local").isSecret("keyPrefix")).isFalse();
    assertThat(parse("memory:local").isSecret("sealingKeys")).isTrue();
    assertThat(parse("memory:local").isSecret("password")).isTrue();
  }

  @Test
  void toString_masksSecretValues() {
    var parameters = parse("memory:local?sealingKeys=env:K&password=hunter2&mode=bytes");

    assertThat(parameters.toString())
        .isEqualTo("memory store parameters {sealingKeys=****, password=****, mode=bytes}");
  }

  @Test
  void knownNames_areSorted() {
    assertThat(parse("memory:local").knownNames())
        .containsExactly("keyPrefix", "maximumSize", "mode", "password", "sealingKeys");
  }

  private static final java.util.Map<String, String> REFUSED =
      java.util.Map.of("timeout", "use commandTimeout instead");

  @Test
  void parseQuery_refusedName_isRefusedWithItsOwnMessage() {
    assertThatThrownBy(() -> StoreUriParameters.parseQuery("redis", "mode=bytes&timeout=5",
        KNOWN, SECRET, REFUSED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("redis store parameter 'timeout' is not accepted: use commandTimeout instead");
  }

  @Test
  void parseQuery_unknownName_listsOnlyAcceptedNames_notTheRefused() {
    assertThatThrownBy(() -> StoreUriParameters.parseQuery("redis", "colour=blue",
        KNOWN, SECRET, REFUSED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("(known: keyPrefix, maximumSize, mode, password, sealingKeys)");
  }

  @Test
  void parseQuery_typoOfARefusedName_isNotSuggestedIt() {
    assertThatThrownBy(() -> StoreUriParameters.parseQuery("redis", "timeouts=5",
        KNOWN, SECRET, REFUSED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown redis store parameter 'timeouts' (known:");
  }

  @Test
  void parseQuery_refusedNameThatIsAlsoKnown_isAProviderBug() {
    assertThatThrownBy(() -> StoreUriParameters.parseQuery("redis", "", KNOWN, SECRET,
        java.util.Map.of("mode", "no")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parameter 'mode' is both known and refused");
  }

  @Test
  void parseQuery_withRefusedNames_acceptsKnownOnes() {
    var parameters = StoreUriParameters.parseQuery("redis", "mode=bytes", KNOWN, SECRET, REFUSED);

    assertThat(parameters.get("mode")).contains("bytes");
    assertThat(parameters.knownNames()).doesNotContain("timeout");
  }
}
