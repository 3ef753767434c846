package dev.baton.examples.mcp.harness;
// Copied from store-redis/src/test/java/dev/baton/store/redis/harness (test classes are not shared
// across modules); keep in step with the original.

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Locates the {@code redis-server} and {@code redis-cli} executables for the test harness.
 *
 * <p>Order: the environment variable ({@code REDIS_SERVER_BIN} / {@code REDIS_CLI_BIN}), then the
 * name on {@code PATH}, then {@code /usr/bin} and {@code /usr/local/bin}. A variable that is set
 * but does not name an executable file is an error, never silently ignored.
 */
final class RedisBinaries {

  static final String SERVER_ENV = "REDIS_SERVER_BIN";
  static final String CLI_ENV = "REDIS_CLI_BIN";

  private RedisBinaries() {}

  /** The {@code redis-server} executable; {@link IllegalStateException} when none is found. */
  static Path server() {
    return locate(SERVER_ENV, "redis-server");
  }

  /** The {@code redis-cli} executable; {@link IllegalStateException} when none is found. */
  static Path cli() {
    return locate(CLI_ENV, "redis-cli");
  }

  private static Path locate(String envVar, String name) {
    String fromEnv = System.getenv(envVar);
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path path = Path.of(fromEnv);
      if (Files.isRegularFile(path) && Files.isExecutable(path)) {
        return path.toAbsolutePath();
      }
      throw new IllegalStateException(envVar + " must name an executable " + name + ": " + fromEnv);
    }
    List<Path> candidates = new ArrayList<>();
    String pathVar = System.getenv("PATH");
    if (pathVar != null) {
      for (String dir : pathVar.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, name));
        }
      }
    }
    candidates.add(Path.of("/usr/bin", name));
    candidates.add(Path.of("/usr/local/bin", name));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new IllegalStateException(
        name
            + " not found (looked at $"
            + envVar
            + ", $PATH, /usr/bin, /usr/local/bin). Install it (Debian/Ubuntu: apt-get install"
            + " redis-server, which also brings redis-cli), or set "
            + envVar
            + " to the executable, or set REDIS_URL to a Redis "
            + "on a loopback address for the non-destructive tests.");
  }
}
