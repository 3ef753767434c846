package dev.baton.examples.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The MCP demo's run: jobs started through the background tool run in a second JVM as their caller. */
class McpReportsDemoTest {
  @Test
  void demo_everyJobRunsAsItsStarter_andNoCallerSeesAnothersJob() throws Exception {
    var printed = new ByteArrayOutputStream();
    int wrong = McpReportsDemo.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    String table = printed.toString(StandardCharsets.UTF_8);
    assertThat(wrong).isZero();
    assertThat(table).contains("alice          4          4               0                 0")
        .contains("carol          4          4               0                 0")
        .endsWith("wrong identities: 0" + System.lineSeparator());
  }
}
