package dev.baton.oauth2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the client secret comes from. {@link #toString()} names the place, never the secret.
 */
final class ClientSecretSource {
  private final String description;
  private final Reader reader;

  private interface Reader {
    String read() throws IOException;
  }

  private ClientSecretSource(String description, Reader reader) {
    this.description = description;
    this.reader = reader;
  }

  static ClientSecretSource environment(String variable) {
    if (variable.isBlank()) {
      throw new IllegalArgumentException("environment variable name must not be blank");
    }
    return new ClientSecretSource("environment variable " + variable, () -> {
      String value = System.getenv(variable);
      return value == null ? "" : value;
    });
  }

  static ClientSecretSource file(Path file) {
    return new ClientSecretSource("file " + file,
        () -> Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * The secret, whitespace stripped.
   *
   * @throws IllegalStateException if it cannot be read or is empty
   */
  String read() {
    String value;
    try {
      value = reader.read();
    } catch (IOException e) {
      // The exception's own message names the path only; the cause keeps the detail.
      throw new IllegalStateException("cannot read the client secret from " + description + ": "
          + e.getClass().getName(), e);
    }
    String secret = value.strip();
    if (secret.isEmpty()) {
      throw new IllegalStateException("the client secret from " + description
          + " is missing or empty");
    }
    return secret;
  }

  @Override
  public String toString() {
    return description;
  }
}
