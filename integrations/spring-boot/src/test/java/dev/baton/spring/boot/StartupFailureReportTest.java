package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.store.TokenStoreException;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * What a user sees when a web application cannot start because of Baton's configuration: Boot's
 * failure analysis (the "APPLICATION FAILED TO START" report), read here as Boot hands it to its
 * reporters. The applications start for real (Tomcat included), so the failure arrives wrapped as
 * it does in production ("Unable to start web server").
 */
class StartupFailureReportTest {

  @BeforeEach
  void clear() {
    RecordingReporter.ANALYSES.clear();
  }

  @Test
  void misspeltStoreParameter_reportNamesTheParameterAndTheRule() {
    FailureAnalysis analysis = failToStart("baton.store=memory:local?sealingkeys=env:BATON_KEYS");

    assertThat(analysis.getDescription())
        .contains("Baton could not open its token snapshot store")
        .contains("Value: memory:local?sealingkeys=...")
        .contains("sealingkeys");
    assertThat(analysis.getAction()).contains("Correct baton.store").contains("sealingKeys");
  }

  @Test
  void missingSealingKey_reportNamesTheVariableNotAKey() {
    FailureAnalysis analysis =
        failToStart("baton.store=redis://127.0.0.1:1?sealingKeys=env:BATON_TEST_VARIABLE_NEVER_SET");

    assertThat(analysis.getDescription())
        .contains("Value: redis://127.0.0.1:1?sealingKeys=...")
        .contains("BATON_TEST_VARIABLE_NEVER_SET");
    assertThat(analysis.getAction()).contains("env:NAME");
  }

  @Test
  void redisDown_reportSaysMakeItReachableAndShowsNoPassword() throws IOException {
    String secret = "hunter2-redis-password";
    FailureAnalysis analysis =
        failToStart(
            "baton.store=redis://default:" + secret + "@127.0.0.1:" + closedPort()
                + "?sealing=none");

    assertThat(analysis.getCause()).hasCauseInstanceOf(TokenStoreException.class);
    assertThat(analysis.getDescription()).contains("Value: redis://127.0.0.1:");
    assertThat(analysis.getAction()).contains("running and reachable");
    assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(secret);
  }

  @Test
  void badEnumValue_reportListsTheValidValues() {
    FailureAnalysis analysis = failToStart("baton.restore-failure-policy=run-anonymous");

    assertThat(analysis.getDescription()).contains("baton.restore-failure-policy");
    assertThat(analysis.getAction()).contains("FAIL").contains("RUN_UNAUTHENTICATED");
  }

  @Test
  void blankClientIdClaim_failsStartupNamingTheProperty() {
    FailureAnalysis analysis = failToStart("baton.claims.client-id= ");

    assertThat(analysis.getDescription())
        .contains("baton.claims.client-id")
        .contains("must not be blank");
  }

  private static FailureAnalysis failToStart(String property) {
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(ResourceServerApp.class)
                    .web(WebApplicationType.SERVLET)
                    .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        // The report is read from the recording reporter; keep the build quiet.
                        "logging.level.root=off",
                        "spring.main.banner-mode=off",
                        property)
                    .run()
                    .close())
        .isNotNull();
    assertThat(RecordingReporter.ANALYSES).hasSize(1);
    return RecordingReporter.ANALYSES.get(0);
  }

  private static int closedPort() throws IOException {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Records what Boot reports (registered in this module's test {@code spring.factories}). */
  public static final class RecordingReporter implements FailureAnalysisReporter {
    static final List<FailureAnalysis> ANALYSES = new ArrayList<>();

    /** Created by Spring Boot. */
    public RecordingReporter() {}

    @Override
    public void report(@Nullable FailureAnalysis analysis) {
      synchronized (ANALYSES) {
        ANALYSES.add(analysis);
      }
    }
  }
}
