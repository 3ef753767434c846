package dev.baton.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
    assertThat(sightings.get(3).saw()).startsWith("no token");
  }

  @Test
  void everyTask_seesTheAppLifespan() throws Exception {
    assertThat(runQuickstart()).allSatisfy(s -> assertThat(s.saw()).contains("app=quickstart"));
  }

  @Test
  void output_neverShowsABearerToken() throws Exception {
    runQuickstart();

    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("alice", "bob")
        .doesNotContain("alice-secret", "bob-secret", "carol-secret");
  }
}
