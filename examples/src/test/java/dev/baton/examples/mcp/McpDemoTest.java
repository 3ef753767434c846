package dev.baton.examples.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
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
  void runInMemory_onASealedRedisStore_wrongIdentitiesZero_andEverySnapshotLeftExpires()
      throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
      java.nio.file.Path keys = java.nio.file.Files.createTempFile("baton-demo-keys", ".txt");
      try {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        java.nio.file.Files.writeString(keys,
            "k1:" + java.util.Base64.getEncoder().encodeToString(key));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit = McpDemo.runInMemory(
            URI.create(redis.uri() + "?sealingKeys=file:" + keys), 2, 2, true,
            new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output.strip()).endsWith("wrong identities: 0");
        java.util.List<?> left = (java.util.List<?>) Resp.call(redis.port(), "KEYS", "*");
        for (Object name : left) {
          assertThat((Long) Resp.call(redis.port(), "PTTL", String.valueOf(name)))
              .as("PTTL of %s", name).isPositive();
        }
      } finally {
        java.nio.file.Files.deleteIfExists(keys);
      }
    }
  }

  @Test
  void main_inItsOwnJvm_printsOnlyTheDemosOwnOutput() throws Exception {
    String javaCommand = ProcessHandle.current().info().command().orElseThrow();
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaCommand));
    if (Runtime.version().feature() >= 22) {
      // JDK 22+ warns on stderr when the progress bar's JLine loads its native library; that
      // notice is the JDK's, not the demo's (the same JVM option silences it for a user).
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"),
        McpDemo.class.getName(), "run", "--jobs", "2"));
    Process demo = new ProcessBuilder(command).start();
    demo.getOutputStream().close();
    java.util.concurrent.CompletableFuture<String> errors = java.util.concurrent.CompletableFuture
        .supplyAsync(() -> {
          try {
            return new String(demo.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(demo.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();

    assertThat(demo.exitValue()).as(output).isZero();
    assertThat(errors.get()).as("the demo's stderr").isEmpty();
    assertThat(output).startsWith("(library logs: ")
        .doesNotContain("INFO", "WARN", "SEVERE", "SLF4J", "org.eclipse", "jetty",
            "io.modelcontextprotocol", "Exception");
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
