package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.ObjectMapper;

/**
 * Tokens from a real Spring Authorization Server, in a real resource server over HTTP: its default
 * JWT access tokens name the client only in {@code aud} ({@code baton.claims.client-id=aud}); its
 * introspection responses carry {@code client_id} (the standard claims).
 */
class AuthorizationServerTokensTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCOPES = "reports:read reports:write";

  private static AuthorizationServer server;
  private static ConfigurableApplicationContext jwtApp;
  private static ConfigurableApplicationContext opaqueApp;

  @BeforeAll
  static void start() {
    server = AuthorizationServer.start();
    var aud = new Properties();
    aud.put("baton.claims.client-id", "aud");
    jwtApp = AuthorizationServerResourceApp.jwt(server, aud);
    opaqueApp = AuthorizationServerResourceApp.opaque(server, new Properties());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {opaqueApp, jwtApp, server}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  @Test
  void jwt_clientCredentials_jobRunsAsTheClientNamedInAud() throws Exception {
    String token = server.clientCredentials("reports-ui", SCOPES);
    assertThat(callerSeenBy(jwtApp, token))
        .containsEntry("sub", "reports-ui")
        .containsEntry("client", "reports-ui")
        .containsEntry("scopes", List.of("reports:read", "reports:write"));
  }

  @Test
  void jwt_authorizationCode_jobRunsAsTheUserOfTheClientNamedInAud() throws Exception {
    String token = server.authorizationCode("reports-ui", "reports:read");
    assertThat(callerSeenBy(jwtApp, token))
        .containsEntry("sub", AuthorizationServer.USER)
        .containsEntry("client", "reports-ui")
        .containsEntry("scopes", List.of("reports:read"));
  }

  @Test
  void opaque_clientCredentials_jobRunsAsTheIntrospectedClient() throws Exception {
    String token = server.clientCredentials("reports-ui-opaque", SCOPES);
    assertThat(callerSeenBy(opaqueApp, token))
        .containsEntry("sub", "reports-ui-opaque")
        .containsEntry("client", "reports-ui-opaque")
        .containsEntry("scopes", List.of("reports:read", "reports:write"));
  }

  @Test
  void opaque_authorizationCode_jobRunsAsTheIntrospectedUser() throws Exception {
    String token = server.authorizationCode("reports-ui-opaque", "reports:write");
    assertThat(callerSeenBy(opaqueApp, token))
        .containsEntry("sub", AuthorizationServer.USER)
        .containsEntry("client", "reports-ui-opaque")
        .containsEntry("scopes", List.of("reports:write"));
  }

  private static Map<String, Object> callerSeenBy(ConfigurableApplicationContext app, String token)
      throws Exception {
    String port = app.getEnvironment().getRequiredProperty("local.server.port");
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/caller"))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    @SuppressWarnings("unchecked")
    Map<String, Object> caller = JSON.readValue(response.body(), Map.class);
    // Spring Security in the job: the authorities the resource server gave the request.
    assertThat(caller.get("authorities"))
        .isEqualTo(caller.get("requestAuthorities"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .isNotEmpty();
    return caller;
  }
}
