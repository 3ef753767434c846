package dev.baton.examples.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo's run: a second JVM runs every report as its caller. */
class JobRunrReportsDemoTest {
  @Test
  void demo_everyReportRunsAsItsCreator_andTheLateScheduleIsRefused() throws Exception {
    var printed = new ByteArrayOutputStream();
    int wrong = JobRunrReportsDemo.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    String table = printed.toString(StandardCharsets.UTF_8);
    assertThat(wrong).isZero();
    assertThat(table).contains("alice             8          8          0                0")
        .contains("anonymous         8          0          8                0")
        .contains("dave's report for tomorrow was refused")
        .endsWith("wrong identities: 0" + System.lineSeparator());
  }
}
