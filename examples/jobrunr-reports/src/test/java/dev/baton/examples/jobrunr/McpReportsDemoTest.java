package dev.baton.examples.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The MCP demo across processes, run once as a user runs it ({@code main} in a JVM of its own,
 * which starts two worker JVMs and kills one mid-job); each test checks one rule of its output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpReportsDemoTest {
  private int exit;
  private String output = "";
  private String errors = "";

  @BeforeAll
  void runTheDemo() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java));
    if (Runtime.version().feature() >= 24) {
      // JDK 24+ warns on stderr when protobuf-java (Tink's, under the sealing codec) first calls
      // sun.misc.Unsafe; that notice is the JDK's, not the demo's. The demo's Maven profiles pass
      // the same option on JDK 24+ (pom.xml, profile unsafe-notice).
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        McpReportsDemo.class.getName()));
    Process demo = new ProcessBuilder(command).start();
    demo.getOutputStream().close();
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(demo.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(demo.waitFor(5, TimeUnit.MINUTES)).as("the demo ended").isTrue();
    exit = demo.exitValue();
    errors = stderr.get();
  }

  @Test
  void demo_everyJobRunsAsItsStarter_andNoCallerSeesAnothersJob() {
    assertThat(exit).as(output).isZero();
    for (String caller : List.of("alice", "bob", "carol")) {
      assertThat(output).as(output).containsPattern(
          "(?m)^" + caller + " +4 +4 +0 +0 +\\d+ +\\d+$");
    }
    assertThat(output.strip()).endsWith("wrong identities: 0");
  }

  @Test
  void demo_workerKilledMidCall_itsJobRunsAgainAsItsCaller_andTheTableShowsTheDuplicateCall() {
    assertThat(output).containsPattern("killed worker-\\d \\(kill -9, exit code \\d+\\)");
    int runAgain = 0;
    int duplicateCalls = 0;
    for (String line : output.lines().filter(l -> l.matches("(alice|bob|carol) .*")).toList()) {
      String[] columns = line.trim().split("\\s+");
      runAgain += Integer.parseInt(columns[columns.length - 2]);
      duplicateCalls += Integer.parseInt(columns[columns.length - 1]);
    }
    // Every job the killed worker had started runs again; the held one had reached downstream.
    assertThat(runAgain).as(output).isPositive();
    assertThat(duplicateCalls).as(output).isPositive().isLessThanOrEqualTo(runAgain);
  }

  @Test
  void demo_printsOnlyItsOwnOutput() {
    assertThat(errors).as("the demo's stderr").isEmpty();
    assertThat(output).doesNotContain("INFO", "WARN", "SEVERE", "SLF4J", "org.jobrunr",
        "org.eclipse", "Exception");
  }
}
