package dev.baton.examples.reports;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The demo profile: a {@link DemoIssuer} whose key is made at startup and trusted by the
 * application and by a separate downstream API ({@link WhoAmIServer}) on a loopback port; once
 * started, prints tokens for two callers and how to call the service.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoConfiguration {

  @Bean
  DemoIssuer demoIssuer() {
    return new DemoIssuer(Clock.systemUTC());
  }

  @Bean
  JwtDecoder jwtDecoder(DemoIssuer issuer) {
    return issuer.decoder();
  }

  @Bean(destroyMethod = "close")
  WhoAmIServer whoAmIServer(DemoIssuer issuer) throws IOException {
    return WhoAmIServer.start(issuer.decoder());
  }

  @Bean
  Downstream downstream(WhoAmIServer server) {
    return new Downstream(server.uri());
  }

  @Bean
  ApplicationListener<ApplicationReadyEvent> printHowToCall(DemoIssuer issuer, Downstream downstream) {
    return event -> {
      String port =
          event.getApplicationContext().getEnvironment().getRequiredProperty("local.server.port");
      String alice = issuer.mint("alice", "reports-web", "reports:read reports:write", Duration.ofHours(1));
      String bob = issuer.mint("bob", "batch-cli", "reports:read", Duration.ofHours(1));
      PrintStream out = System.out;
      String base = "http://127.0.0.1:" + port;
      out.println();
      out.println("Reports demo on " + base + " (downstream API at " + downstream.uri() + ")");
      out.println("Demo tokens, valid for an hour, signed by a key made at startup:");
      out.println("  export ALICE='" + alice + "'");
      out.println("  export BOB='" + bob + "'");
      out.println("Start a report as Alice, then read it (Bob gets 404 for Alice's report):");
      out.println("  curl -s -X POST -H \"Authorization: Bearer $ALICE\" " + base + "/reports");
      out.println("  curl -s -H \"Authorization: Bearer $ALICE\" " + base + "/reports/<id>");
      out.println("  curl -s -i -H \"Authorization: Bearer $BOB\" " + base + "/reports/<id>");
      out.println("Store health: curl -s " + base + "/actuator/health");
      out.println("Stop with Ctrl-C.");
      out.println();
    };
  }
}
