package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Strict binding against real environment variables: the application runs in a child JVM whose
 * environment the test sets, as a shell or a container would.
 */
class EnvironmentVariablesStartupTest {

  @Test
  void sealingKeyVariableNamedBaton_isNotAnUnknownProperty() throws Exception {
    Result result =
        start(
            Map.of("BATON_SEALING_KEYS", keyRing()),
            "--baton.store=memory:local?sealingKeys=env:BATON_SEALING_KEYS");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("started with").contains("sealed (").doesNotContain("not sealed");
  }

  @Test
  void variableNamingAKnownProperty_isBound() throws Exception {
    Result result =
        start(
            Map.of(
                "BATON_SEALING_KEYS", keyRing(),
                "BATON_STORE", "memory:local?sealingKeys=env:BATON_SEALING_KEYS"));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("sealed (").doesNotContain("not sealed");
  }

  @Test
  void variableNamingNoProperty_isIgnoredAsSpringBootIgnoresUnknownVariables() throws Exception {
    Result result = start(Map.of("BATON_SNAPSHOT_TLL", "5m"));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("started with");
  }

  @Test
  void misspeltPropertyOnTheCommandLine_failsStartupBesideBatonVariables() throws Exception {
    Result result =
        start(Map.of("BATON_SEALING_KEYS", keyRing()), "--baton.snapshot-tll=5m");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("baton.snapshot-tll").doesNotContain("started with");
  }

  private record Result(int exitCode, String output) {}

  private static Result start(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:off");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EnvironmentStartupApp.class.getName());
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("BATON_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the application did not exit: " + output);
    }
    return new Result(process.exitValue(), output);
  }

  private static String keyRing() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return "k1:" + Base64.getEncoder().encodeToString(key);
  }
}
