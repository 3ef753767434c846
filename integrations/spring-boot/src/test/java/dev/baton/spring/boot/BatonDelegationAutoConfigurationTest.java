package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.DelegationFailedException;
import dev.baton.TaskKey;
import dev.baton.TokenExchanger;
import dev.baton.oauth2.TokenExchangeDelegation;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class BatonDelegationAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(BatonAutoConfiguration.class,
          BatonDelegationAutoConfiguration.class));

  @TempDir Path directory;

  private static final AccessToken ALICE = AccessToken.builder("alice-token", "web")
      .subject("alice").expiresAt(Instant.now().plusSeconds(300)).build();

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void withoutTokenEndpoint_noDelegation() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(TokenExchanger.class);
      Baton baton = context.getBean(Baton.class);
      TaskKey key = baton.capture(new TaskKey("t", "1"), ALICE);
      assertThat(baton.call(key, Baton::currentToken)).contains(ALICE);
    });
  }

  @Test
  void properties_buildTheExchangeAndTheBatonCapturesThroughIt() throws Exception {
    Path secret = Files.writeString(directory.resolve("secret"), "s3cr3t-value");
    int port = closedPort();
    runner.withPropertyValues(
        "baton.delegation.token-endpoint=http://127.0.0.1:" + port + "/oauth2/token",
        "baton.delegation.client-id=reports-service",
        "baton.delegation.client-secret-file=" + secret,
        "baton.delegation.audiences=ledger-api",
        "baton.delegation.scopes=ledger.read",
        "baton.delegation.max-lifetime=2h",
        "baton.delegation.actor-token=none").run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(TokenExchangeDelegation.class);
          assertThat(context.getBean(TokenExchangeDelegation.class).toString())
              .contains("ledger-api", "ledger.read", "PT2H", "NONE")
              .doesNotContain("s3cr3t-value");
          Baton baton = context.getBean(Baton.class);
          // The endpoint is closed: the capture asks it, and fails instead of storing alice.
          assertThatThrownBy(() -> baton.capture(new TaskKey("t", "1"), ALICE))
              .isInstanceOf(DelegationFailedException.class)
              .hasMessageContaining("127.0.0.1:" + port);
        });
  }

  @Test
  void applicationsOwnExchanger_isUsedAndNoneIsBuilt() {
    TokenExchanger own = caller -> AccessToken.builder("delegated", "svc")
        .subject("alice").expiresAt(Instant.now().plusSeconds(600)).build();
    runner.withBean(TokenExchanger.class, () -> own)
        .withPropertyValues("baton.delegation.token-endpoint=http://127.0.0.1:1/token")
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(TokenExchangeDelegation.class);
          Baton baton = context.getBean(Baton.class);
          TaskKey key = baton.capture(new TaskKey("t", "1"), ALICE);
          assertThat(baton.call(key, Baton::currentToken)).map(AccessToken::token)
              .contains("delegated");
        });
  }

  @Test
  void tokenEndpointWithoutSecret_failsStartupNamingTheProperties() {
    runner.withPropertyValues("baton.delegation.token-endpoint=http://127.0.0.1:1/token",
        "baton.delegation.client-id=svc").run(context ->
            assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("baton.delegation.client-secret-env"));
  }

  @Test
  void plainHttpTokenEndpointOffLoopback_failsStartup() throws Exception {
    Path secret = Files.writeString(directory.resolve("secret"), "s3cr3t-value");
    runner.withPropertyValues("baton.delegation.token-endpoint=http://auth.example.com/token",
        "baton.delegation.client-id=svc", "baton.delegation.client-secret-file=" + secret)
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("https").hasMessageNotContaining("s3cr3t-value"));
  }

  @Test
  void unknownDelegationProperty_failsStartup() {
    runner.withPropertyValues("baton.delegation.audience=ledger-api") // audiences, plural
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void inProcess_applicationsExchangerAlsoServesWrappedExecutors() throws Exception {
    TokenExchanger own = caller -> AccessToken.builder("delegated", "svc")
        .subject("alice").expiresAt(Instant.now().plusSeconds(600)).build();
    runner.withBean(TokenExchanger.class, () -> own)
        .withPropertyValues("baton.delegation.in-process=true")
        .run(context -> {
          Baton baton = context.getBean(Baton.class);
          var executor = baton.wrap(java.util.concurrent.Executors.newSingleThreadExecutor());
          try (dev.baton.Scope request = baton.bindRequest(ALICE)) {
            assertThat(executor.submit(Baton::currentToken)
                .get(10, java.util.concurrent.TimeUnit.SECONDS))
                .map(AccessToken::token).contains("delegated");
          } finally {
            executor.shutdown();
          }
        });
  }
}
