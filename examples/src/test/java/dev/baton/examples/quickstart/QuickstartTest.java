package dev.baton.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickstartTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private List<Quickstart.Sighting> runQuickstart() throws Exception {
    return Quickstart.run(URI.create("memory:local"), new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @Test
  void eachTask_seesItsOwnCaller() throws Exception {
    List<Quickstart.Sighting> sightings = runQuickstart();

    assertThat(sightings).extracting(Quickstart.Sighting::caller).containsExactly(
        "alice (valid for 1h)", "bob (no expiry)", "anonymous", "carol (expired 5 min ago)");
    assertThat(sightings.get(0).saw()).startsWith("client=web-app sub=alice");
    assertThat(sightings.get(1).saw()).startsWith("client=cli sub=bob");
    assertThat(sightings.get(2).saw()).startsWith("no token");
    assertThat(sightings.get(3).saw()).startsWith("nothing: refused at submit (CALLER_EXPIRED)");
  }

  @Test
  void everyTask_seesTheAppLifespan() throws Exception {
    assertThat(runQuickstart().subList(0, 3))
        .allSatisfy(s -> assertThat(s.saw()).contains("app=quickstart"));
  }

  @Test
  void output_neverShowsABearerToken() throws Exception {
    runQuickstart();

    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("alice", "bob")
        .doesNotContain("alice-secret", "bob-secret", "carol-secret");
  }

  @Test
  void output_saysWhatHappened() throws Exception {
    runQuickstart();

    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("sealed at rest: no - in-process memory store")
        .contains("no task started before every request had ended")
        .contains("the worker restored the caller from the store by that key")
        .contains("token=sha256:... is the token's fingerprint")
        .contains("The store is not sealed");
  }

  @Test
  void sealedMemoryStore_outputSaysSealed() throws Exception {
    Path keys = Quickstart.writeDemoKeyRing();

    List<Quickstart.Sighting> sightings = Quickstart.run(
        URI.create("memory:local?sealingKeys=file:" + keys.toUri().getRawPath()),
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(sightings.get(0).saw()).startsWith("client=web-app sub=alice");
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("sealed at rest: yes")
        .contains("The store is sealed");
  }

  @Test
  void withDemoSealing_redisUriWithoutKeys_addsAKeyFile() throws Exception {
    URI sealed = Quickstart.withDemoSealing(URI.create("redis://127.0.0.1:6379?keyPrefix=q:"),
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(sealed.toString()).startsWith("redis://127.0.0.1:6379?keyPrefix=q:&sealingKeys=file:");
    Path file = Path.of(sealed.toString().substring(sealed.toString().indexOf("file:") + 5));
    assertThat(Files.readString(file)).startsWith("demo:");
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("openssl rand -base64 32");
  }

  @Test
  void withDemoSealing_uriThatSaysSealingOrIsNotRedis_isUnchanged() throws Exception {
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    for (String uri : List.of("redis://127.0.0.1:6379?sealing=none",
        "redis://127.0.0.1:6379?sealingKeys=env:K", "memory:local")) {
      assertThat(Quickstart.withDemoSealing(URI.create(uri), out)).hasToString(uri);
    }
  }

  @Test
  void withDemoSealing_neverPrintsThePassword() throws Exception {
    Quickstart.withDemoSealing(URI.create("redis://user:hunter2@127.0.0.1:6379"),
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("hunter2");
  }
}
