package dev.baton.spring.boot;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.SpringOpaqueTokenIntrospector;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A resource server for opaque tokens, introspected (RFC 7662) by Spring Security's own client
 * against an introspection endpoint served by the same application.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
@EnableScheduling
@Import({
  ResourceServerApp.Jobs.class,
  ResourceServerApp.JobController.class,
  OpaqueResourceServerApp.IntrospectionEndpoint.class
})
class OpaqueResourceServerApp {

  /** The authorization server's view: opaque token to introspection response. */
  static final Map<String, Map<String, Object>> ISSUED = new ConcurrentHashMap<>();

  @Bean
  SecurityFilterChain api(HttpSecurity http, OpaqueTokenIntrospector introspector)
      throws Exception {
    return http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(HttpMethod.POST, "/introspect")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(server -> server.opaqueToken(opaque -> opaque.introspector(introspector)))
        .csrf(csrf -> csrf.disable())
        .build();
  }

  /** Spring's introspection client, pointed at this application once its port is known. */
  @Bean
  OpaqueTokenIntrospector introspector(Environment environment) {
    return new OpaqueTokenIntrospector() {
      private volatile OpaqueTokenIntrospector delegate;

      @Override
      public OAuth2AuthenticatedPrincipal introspect(String token) {
        OpaqueTokenIntrospector local = delegate;
        if (local == null) {
          String port = environment.getRequiredProperty("local.server.port");
          local =
              SpringOpaqueTokenIntrospector.withIntrospectionUri(
                      "http://127.0.0.1:" + port + "/introspect")
                  .clientId("resource-server")
                  .clientSecret("secret")
                  .build();
          delegate = local;
        }
        return local.introspect(token);
      }
    };
  }

  static void issue(String token, String sub, String clientId, String scope, Instant expiresAt) {
    ISSUED.put(
        token,
        Map.of(
            "active", true,
            "sub", sub,
            "client_id", clientId,
            "scope", scope,
            "exp", expiresAt.getEpochSecond(),
            "iss", "http://127.0.0.1/issuer"));
  }

  @RestController
  static class IntrospectionEndpoint {
    @PostMapping("/introspect")
    Map<String, Object> introspect(@RequestParam("token") String token) {
      return ISSUED.getOrDefault(token, Map.of("active", false));
    }
  }
}
