package dev.baton.spring.boot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, for this module's tests ({@code redis-server}
 * from {@code $REDIS_SERVER_BIN} or the {@code PATH}). A missing binary fails the test loudly.
 */
final class RedisServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private RedisServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static RedisServerProcess start() throws IOException, InterruptedException {
    String binary = System.getenv().getOrDefault("REDIS_SERVER_BIN", "redis-server");
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Process process =
        new ProcessBuilder(
                binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no")
            .redirectErrorStream(true)
            .start();
    var ready = new CountDownLatch(1);
    var reader =
        new Thread(
            () -> {
              try (var lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  if (line.contains("Ready to accept connections")) {
                    ready.countDown();
                  }
                }
              } catch (IOException e) {
                // The process ended; the latch stays closed and start() reports it.
              }
            },
            "redis-server-output");
    reader.setDaemon(true);
    reader.start();
    if (!ready.await(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("redis-server did not become ready on port " + port);
    }
    return new RedisServerProcess(process, port);
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
