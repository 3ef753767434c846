package dev.baton.examples.mcp.harness;
// Copied from store-redis/src/test/java/dev/baton/store/redis/harness (test classes are not shared
// across modules); keep in step with the original.

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A minimal RESP2 client over a raw socket to {@code 127.0.0.1}, for the harness and its tests: one
 * connection per call, no pooling, no client library.
 *
 * <p>Replies map to Java as: simple string → {@code String}, integer → {@code Long}, bulk string →
 * {@code String} (UTF-8; {@code byte[]} from {@link #callBinary}) or {@code null}, array → {@code List<Object>} (or {@code null}); an error
 * reply throws {@link ErrorReply}. Connection problems surface as {@link IOException} (a server
 * that is down gives {@link java.net.ConnectException}).
 */
public final class Resp {

  /** 127.0.0.1 as a literal: never resolved, never another address. */
  public static final InetAddress LOOPBACK = loopback();

  /** Connect and read timeout of {@link #call(int, String...)}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private Resp() {}

  /** An error reply from the server ({@code -ERR ...}, {@code -WRONGTYPE ...}, ...). */
  public static final class ErrorReply extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }

  /**
   * Sends one command as a RESP array to {@code 127.0.0.1:port} and returns the decoded reply.
   *
   * @throws IOException when the server cannot be reached or the connection breaks
   * @throws ErrorReply when the server answers with an error
   */
  public static Object call(int port, String... args) throws IOException {
    return call(port, DEFAULT_TIMEOUT, args);
  }

  /** {@link #call(int, String...)} with an explicit connect and read timeout. */
  public static Object call(int port, Duration timeout, String... args) throws IOException {
    byte[][] raw = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      raw[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return send(port, timeout, false, raw);
  }

  /**
   * Like {@link #call(int, String...)}, but binary-safe both ways: arguments are sent as the exact
   * bytes given, and bulk string replies come back as {@code byte[]} (not decoded as UTF-8), for
   * tests that write or inspect stored values byte for byte.
   *
   * @throws IOException when the server cannot be reached or the connection breaks
   * @throws ErrorReply when the server answers with an error
   */
  public static Object callBinary(int port, byte[]... args) throws IOException {
    return send(port, DEFAULT_TIMEOUT, true, args);
  }

  private static Object send(int port, Duration timeout, boolean binary, byte[]... args)
      throws IOException {
    Objects.requireNonNull(timeout, "timeout");
    if (args.length == 0) {
      throw new IllegalArgumentException("a command needs at least one argument");
    }
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    writeAscii(request, "*" + args.length + "\r\n");
    for (byte[] bytes : args) {
      writeAscii(request, "$" + bytes.length + "\r\n");
      request.write(bytes, 0, bytes.length);
      writeAscii(request, "\r\n");
    }
    try (Socket socket = connect(port, timeout)) {
      OutputStream out = socket.getOutputStream();
      out.write(request.toByteArray());
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()), binary);
    }
  }

  /**
   * Sends the inline command {@code PING\r\n} and reports whether the answer was {@code +PONG}.
   * Never throws: an unreachable server, a timeout or any other answer (e.g. {@code -LOADING}) is
   * {@code false}.
   */
  public static boolean ping(int port, Duration timeout) {
    try (Socket socket = connect(port, timeout)) {
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return "+PONG".equals(readLine(new BufferedInputStream(socket.getInputStream())));
    } catch (IOException e) {
      return false;
    }
  }

  private static Socket connect(int port, Duration timeout) throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    Socket socket = new Socket();
    try {
      socket.setSoTimeout(millis);
      socket.connect(new InetSocketAddress(LOOPBACK, port), millis);
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static Object read(InputStream in, boolean binary) throws IOException {
    String line = readLine(in);
    if (line.isEmpty()) {
      throw new IOException("empty RESP line");
    }
    String rest = line.substring(1);
    switch (line.charAt(0)) {
      case '+':
        return rest;
      case '-':
        throw new ErrorReply(rest);
      case ':':
        return Long.parseLong(rest);
      case '$':
        {
          int length = Integer.parseInt(rest);
          if (length < 0) {
            return null;
          }
          byte[] data = in.readNBytes(length);
          if (data.length != length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("truncated bulk string");
          }
          return binary ? data : new String(data, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(rest);
          if (count < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            try {
              items.add(read(in, binary));
            } catch (ErrorReply e) {
              items.add(e);
            }
          }
          return items;
        }
      default:
        throw new IOException("unexpected RESP type: " + line);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed by server");
      }
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new IOException("malformed RESP line");
        }
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }

  private static void writeAscii(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    out.write(bytes, 0, bytes.length);
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
