package dev.baton.oauth2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration of {@link TokenExchangeDelegation}: strict, and the secret never shown. */
class TokenExchangeDelegationBuilderTest {
  private static final URI ENDPOINT = URI.create("https://auth.example.com/oauth2/token");

  @TempDir Path directory;

  private TokenExchangeDelegation.Builder valid() throws Exception {
    return TokenExchangeDelegation.builder().tokenEndpoint(ENDPOINT).clientId("svc")
        .clientSecretFromFile(Files.writeString(directory.resolve("s"), "the-secret-value\n"));
  }

  @Test
  void tokenEndpoint_plainHttpOffLoopback_isRefused() {
    assertThatThrownBy(() -> TokenExchangeDelegation.builder()
        .tokenEndpoint(URI.create("http://auth.example.com/oauth2/token")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
  }

  @Test
  void tokenEndpoint_plainHttpOnLoopback_isAccepted() {
    TokenExchangeDelegation.builder().tokenEndpoint(URI.create("http://127.0.0.1:9000/token"))
        .tokenEndpoint(URI.create("http://localhost:9000/token"))
        .tokenEndpoint(URI.create("http://[::1]:9000/token"));
  }

  @Test
  void tokenEndpoint_withUserInfo_isRefused() {
    assertThatThrownBy(() -> TokenExchangeDelegation.builder()
        .tokenEndpoint(URI.create("https://svc:pw@auth.example.com/token")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("pw");
  }

  @Test
  void build_secretFromUnsetEnvironmentVariable_failsNamingTheVariable() {
    String variable = "BATON_TEST_UNSET_" + UUID.randomUUID().toString().replace('-', '_');

    assertThatThrownBy(() -> TokenExchangeDelegation.builder().tokenEndpoint(ENDPOINT)
        .clientId("svc").clientSecretFromEnvironment(variable).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(variable);
  }

  @Test
  void build_secretFromEnvironmentVariable_readsItAndNeverShowsIt() {
    String path = System.getenv("PATH");
    TokenExchangeDelegation delegation = TokenExchangeDelegation.builder().tokenEndpoint(ENDPOINT)
        .clientId("svc").clientSecretFromEnvironment("PATH").build();

    assertThat(path).isNotBlank();
    assertThat(delegation.toString()).doesNotContain(path);
  }

  @Test
  void build_secretFileMissing_failsNamingTheFile() {
    Path missing = directory.resolve("nope");

    assertThatThrownBy(() -> TokenExchangeDelegation.builder().tokenEndpoint(ENDPOINT)
        .clientId("svc").clientSecretFromFile(missing).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(missing.toString());
  }

  @Test
  void build_secretFileBlank_fails() throws Exception {
    Path blank = Files.writeString(directory.resolve("blank"), " \n");

    assertThatThrownBy(() -> TokenExchangeDelegation.builder().tokenEndpoint(ENDPOINT)
        .clientId("svc").clientSecretFromFile(blank).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing or empty");
  }

  @Test
  void clientSecretSource_setTwice_isRefused() throws Exception {
    TokenExchangeDelegation.Builder builder = valid();

    assertThatThrownBy(() -> builder.clientSecretFromEnvironment("X"))
        .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("the-secret-value");
  }

  @Test
  void build_withoutTokenEndpoint_fails() {
    assertThatThrownBy(() -> TokenExchangeDelegation.builder().clientId("svc").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tokenEndpoint");
  }

  @Test
  void toString_namesTheConfigurationButNeverTheSecret() throws Exception {
    TokenExchangeDelegation delegation = valid().audience("ledger-api").scopes("ledger.read")
        .build();

    assertThat(delegation.toString()).contains("svc", "ledger-api", "ledger.read")
        .doesNotContain("the-secret-value");
  }

  @Test
  void maxLifetime_notPositive_isRefused() {
    assertThatThrownBy(() -> TokenExchangeDelegation.builder().maxLifetime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLifetime");
  }

  @Test
  void scopes_withSpace_isRefused() {
    assertThatThrownBy(() -> TokenExchangeDelegation.builder().scopes("a b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
