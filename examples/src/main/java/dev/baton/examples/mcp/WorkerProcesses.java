package dev.baton.examples.mcp;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Starts {@code demo worker} processes with this JVM's {@code java} and class path. They inherit
 * the environment, so a store URI naming {@code sealingKeys=env:NAME} opens the same key ring.
 */
public final class WorkerProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final java.util.Map<String, Process> byName = new java.util.concurrent.ConcurrentHashMap<>();
  private final Path logs;

  /** Worker logs go to a fresh temporary directory. */
  public WorkerProcesses() throws IOException {
    this.logs = Files.createTempDirectory("baton-demo-workers");
  }

  /** Starts worker {@code name}. */
  public synchronized Process start(String name, URI store, String runId, URI server,
      Duration claimAfter) throws IOException {
    String java = ProcessHandle.current().info().command().orElse(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = List.of(java, "-cp", classPath(), McpDemo.class.getName(), "worker",
        "--store", store.toString(), "--run-id", runId, "--server", server.toString(),
        "--name", name, "--claim-after-ms", Long.toString(claimAfter.toMillis()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile()).start();
    processes.add(process);
    byName.put(name, process);
    return process;
  }

  /** Worker {@code name}'s process, if started. */
  public java.util.Optional<Process> process(String name) {
    return java.util.Optional.ofNullable(byName.get(name));
  }

  /** Where worker {@code name} writes its output. */
  public Path log(String name) {
    return logs.resolve(name + ".log");
  }

  /**
   * The class path this code was loaded from: the class loader's URLs under {@code exec:java},
   * else {@code java.class.path}.
   */
  static String classPath() {
    if (McpDemo.class.getClassLoader() instanceof URLClassLoader loader
        && loader.getURLs().length > 0) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        try {
          entries.add(Paths.get(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalStateException("class path entry is not a file: " + url, e);
        }
      }
      return entries.stream().collect(Collectors.joining(File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  /** Stops every worker (SIGTERM, then waits). */
  @Override
  public synchronized void close() {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
