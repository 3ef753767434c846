package dev.baton.examples.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code demo run}, the README's first command, in memory mode. */
class McpDemoTest {
  @Test
  void runInMemory_everyClientsJobsAccountedFor_endsWithWrongIdentitiesZero() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    int exit = McpDemo.runInMemory(URI.create("memory:local"), 2, 2, true,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).isZero();
    assertThat(output).contains("alice", "bob", "carol (token expires in the queue)", "anonymous");
    assertThat(output.strip()).endsWith("wrong identities: 0");
  }

  @Test
  void run_unknownStoreScheme_isUsageErrorWithExitCode2() {
    StringWriter errors = new StringWriter();
    CommandLine command = new CommandLine(new McpDemo()).setErr(new PrintWriter(errors));

    int exit = command.execute("run", "--store", "ftp://127.0.0.1/x");

    assertThat(exit).isEqualTo(2);
    assertThat(errors.toString()).contains("--store must be memory:local or redis://");
  }
}
