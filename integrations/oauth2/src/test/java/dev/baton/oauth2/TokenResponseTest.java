package dev.baton.oauth2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.baton.AccessToken;
import dev.baton.DelegationFailedException;
import dev.baton.DelegationFailedException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How token-exchange responses that Spring Authorization Server never sends are handled (no
 * {@code expires_in}, the caller's own token back, another token type, an HTML 503, a description
 * echoing the subject token): a scripted token endpoint on a loopback port answers each.
 */
class TokenResponseTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final AccessToken CALLER = AccessToken.builder("caller-token-123", "web")
      .subject("alice").expiresAt(NOW.plusSeconds(300)).build();

  @TempDir Path directory;

  private final AtomicReference<String> body = new AtomicReference<>("");
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final AtomicReference<String> contentType = new AtomicReference<>("application/json");
  private final AtomicReference<String> lastRequest = new AtomicReference<>("");
  /** When set, answers instead of body/status: from the request's form to {status, body}. */
  private final AtomicReference<@Nullable Function<Map<String, String>, Object[]>> responder =
      new AtomicReference<>();
  private HttpServer endpoint;

  @BeforeEach
  void start() throws IOException {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext("/token", exchange -> {
      lastRequest.set(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8));
      var script = responder.get();
      Object[] answer = script == null ? new Object[] {status.get(), body.get()}
          : script.apply(form(lastRequest.get()));
      byte[] bytes = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType.get());
      exchange.sendResponseHeaders((Integer) answer[0], bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    endpoint.start();
  }

  @AfterEach
  void stop() {
    endpoint.stop(0);
  }

  private TokenExchangeDelegation.Builder delegation() throws IOException {
    return TokenExchangeDelegation.builder()
        .tokenEndpoint(URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/token"))
        .clientId("svc").clientSecretFromFile(Files.writeString(directory.resolve("s"), "sec"))
        .actorToken(ActorToken.NONE).audience("ledger-api").scopes("ledger.read")
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new java.util.HashMap<>();
    for (String pair : body.split("&", -1)) {
      String[] kv = pair.split("=", 2);
      if (kv.length == 2) {
        form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private void answer(String json) {
    body.set(json);
  }

  private static Reason reasonOf(Throwable e) {
    return ((DelegationFailedException) e).reason();
  }

  @Test
  void exchange_sendsTheCallersTokenAsSubjectWithAudienceAndScope() throws Exception {
    answer("{\"access_token\":\"delegated-1\",\"token_type\":\"Bearer\",\"expires_in\":600,"
        + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"}");

    delegation().build().exchange(CALLER);

    assertThat(form(lastRequest.get()))
        .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
        .containsEntry("subject_token", CALLER.token())
        .containsEntry("subject_token_type", "urn:ietf:params:oauth:token-type:access_token")
        .containsEntry("audience", "ledger-api").containsEntry("scope", "ledger.read")
        .doesNotContainKey("actor_token");
  }

  @Test
  void exchange_opaqueToken_expiryIsNowPlusExpiresInAndClaimsNameTheCaller() throws Exception {
    answer("{\"access_token\":\"delegated-1\",\"token_type\":\"Bearer\",\"expires_in\":600}");

    AccessToken delegated = delegation().build().exchange(CALLER);

    assertThat(delegated.token()).isEqualTo("delegated-1");
    assertThat(delegated.expiresAt()).isEqualTo(NOW.plusSeconds(600));
    assertThat(delegated.subject()).isEqualTo("alice");
    assertThat(delegated.claims()).doesNotContainKey("act");
    assertThat(delegated.scopes()).containsExactly("ledger.read");
    assertThat(delegated.resource()).isEqualTo("ledger-api");
  }

  @Test
  void exchange_expiresInBeyondMaxLifetime_isCutToMaxLifetime() throws Exception {
    answer("{\"access_token\":\"delegated-1\",\"token_type\":\"Bearer\",\"expires_in\":86400}");

    AccessToken delegated = delegation().maxLifetime(Duration.ofHours(2)).build().exchange(CALLER);

    assertThat(delegated.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));
  }

  @Test
  void exchange_withoutExpiresIn_failsAsNoExpiryByDefault() {
    answer("{\"access_token\":\"delegated-1\",\"token_type\":\"Bearer\"}");

    assertThatThrownBy(() -> delegation().build().exchange(CALLER))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.NO_EXPIRY));
  }

  @Test
  void exchange_withoutExpiresInUnderAssumeMaxLifetime_livesTheMaxLifetime() throws Exception {
    answer("{\"access_token\":\"delegated-1\",\"token_type\":\"Bearer\"}");

    AccessToken delegated = delegation().missingExpiry(MissingExpiryPolicy.ASSUME_MAX_LIFETIME)
        .maxLifetime(Duration.ofMinutes(45)).build().exchange(CALLER);

    assertThat(delegated.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(45)));
  }

  @Test
  void exchange_serverReturnsTheCallersOwnToken_isRefused() {
    answer("{\"access_token\":\"" + CALLER.token() + "\",\"token_type\":\"Bearer\","
        + "\"expires_in\":600}");

    assertThatThrownBy(() -> delegation().build().exchange(CALLER))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_RESPONSE))
        .hasMessageNotContaining(CALLER.token());
  }

  @Test
  void exchange_issuedTokenIsNotAnAccessToken_isRefused() {
    answer("{\"access_token\":\"delegated-1\",\"token_type\":\"N_A\",\"expires_in\":600,"
        + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:id_token\"}");

    assertThatThrownBy(() -> delegation().build().exchange(CALLER))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_RESPONSE));
  }

  @Test
  void exchange_htmlServiceUnavailable_failsAsUnavailable() {
    status.set(503);
    contentType.set("text/html");
    answer("<html>maintenance</html>");

    assertThatThrownBy(() -> delegation().build().exchange(CALLER))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.AUTHORIZATION_SERVER_UNAVAILABLE))
        .hasMessageContaining("503");
  }

  @Test
  void exchange_errorDescriptionEchoingTheSubjectToken_isWithheld() {
    status.set(400);
    answer("{\"error\":\"invalid_grant\",\"error_description\":\"bad token "
        + CALLER.token() + "\"}");

    assertThatThrownBy(() -> delegation().build().exchange(CALLER))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_GRANT))
        .hasMessageContaining("withheld").hasMessageNotContaining(CALLER.token());
  }

  @Test
  void exchange_errorDescriptionWithLineBreaks_isFlattened() {
    status.set(400);
    answer("{\"error\":\"invalid_scope\",\"error_description\":\"no\\nFAKE LOG LINE\"}");

    assertThatThrownBy(() -> delegation().build().exchange(CALLER))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.SCOPE_REFUSED))
        .hasMessageNotContaining("\n");
  }

  @Test
  void exchange_cachedActorTokenForgottenByTheServer_retriesOnceWithAFreshOne() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    AtomicReference<String> valid = new AtomicReference<>("");
    responder.set(form -> {
      if ("client_credentials".equals(form.get("grant_type"))) {
        String actor = "actor-" + issued.incrementAndGet();
        valid.set(actor); // the server knows only its latest actor token
        return new Object[] {200, "{\"access_token\":\"" + actor + "\","
            + "\"token_type\":\"Bearer\",\"expires_in\":3600}"};
      }
      if (!valid.get().equals(form.get("actor_token"))) {
        return new Object[] {400, "{\"error\":\"invalid_grant\"}"};
      }
      return new Object[] {200, "{\"access_token\":\"delegated-" + issued.get() + "\","
          + "\"token_type\":\"Bearer\",\"expires_in\":600}"};
    });
    TokenExchangeDelegation delegation = delegation().actorToken(ActorToken.CLIENT_CREDENTIALS)
        .build();
    assertThat(delegation.exchange(CALLER).token()).isEqualTo("delegated-1");
    valid.set("forgotten"); // e.g. the server restarted and lost actor-1

    AccessToken delegated = delegation.exchange(CALLER);

    assertThat(delegated.token()).isEqualTo("delegated-2");
    assertThat(issued).hasValue(2);
  }

  @Test
  void exchange_invalidGrantWithAFreshActorToken_isTheCallersAndNotRetried() throws Exception {
    AtomicInteger exchanges = new AtomicInteger();
    responder.set(form -> {
      if ("client_credentials".equals(form.get("grant_type"))) {
        return new Object[] {200, "{\"access_token\":\"actor\",\"token_type\":\"Bearer\","
            + "\"expires_in\":3600}"};
      }
      exchanges.incrementAndGet();
      return new Object[] {400, "{\"error\":\"invalid_grant\"}"};
    });

    assertThatThrownBy(() -> delegation().actorToken(ActorToken.CLIENT_CREDENTIALS).build()
        .exchange(CALLER))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_GRANT));
    assertThat(exchanges).hasValue(1);
  }
}
