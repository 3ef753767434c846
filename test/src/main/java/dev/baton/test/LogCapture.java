package dev.baton.test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jspecify.annotations.Nullable;

/**
 * Captures every log record of every library in this JVM at the most verbose level, to check that
 * a secret (a bearer token, a client secret, a sealing key) appears in no log line at any level.
 *
 * <p>While attached, the {@code java.util.logging} root logger and every logger that exists is set
 * to {@link Level#ALL}, with one handler on the root; {@link #close()} puts every level back.
 * Baton logs through {@code System.Logger}, which is JUL by default; so do the JDK's HTTP client
 * and, with {@code slf4j-jdk14} or {@code jul-to-slf4j}'s opposite bridge, libraries on SLF4J. A
 * library with a logging facade of its own must be pointed at JUL before it logs (Netty, and so
 * Lettuce: {@code InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE)}), and some
 * read their levels once (Lettuce when a connection is made): attach before building them.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.attach()) {
 *   runTheScenario();
 *   assertThat(logs.fullText()).doesNotContain(token.token());
 * }
 * }</pre>
 *
 * <p>Records logged on any thread while attached are captured. Thread-safe.
 */
public final class LogCapture implements AutoCloseable {
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger root = LogManager.getLogManager().getLogger("");
  // Strong references while attached: java.util.logging keeps loggers only weakly, and a logger
  // collected and made again would come back at its configured level.
  private final Map<Logger, @Nullable Level> previousLevels = new HashMap<>();
  private final @Nullable Level previousRootLevel = root.getLevel();
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private LogCapture() {
    handler.setLevel(Level.ALL);
  }

  /** Starts capturing everything; close it (try-with-resources) to stop. */
  public static LogCapture attach() {
    LogCapture logs = new LogCapture();
    LogManager manager = LogManager.getLogManager();
    for (String name : Collections.list(manager.getLoggerNames())) {
      Logger logger = manager.getLogger(name);
      if (logger != null && !name.isEmpty()) {
        logs.previousLevels.put(logger, logger.getLevel());
        logger.setLevel(null); // inherit ALL from the root
      }
    }
    logs.root.setLevel(Level.ALL);
    logs.root.addHandler(logs.handler);
    return logs;
  }

  /** The records captured so far, in order. */
  public List<LogRecord> records() {
    return new ArrayList<>(records);
  }

  /** Whether a record came from a logger whose name starts with {@code prefix}. */
  public boolean anyFrom(String prefix) {
    return records.stream()
        .anyMatch(r -> r.getLoggerName() != null && r.getLoggerName().startsWith(prefix));
  }

  /** The records at exactly {@code level} from the logger named {@code name}. */
  public List<LogRecord> at(Level level, String name) {
    return records.stream()
        .filter(r -> r.getLevel().equals(level) && name.equals(r.getLoggerName()))
        .toList();
  }

  /**
   * Every record as text, for leak scans: logger and level, the formatted message, the raw message
   * and each parameter, and the whole exception chain with its stack traces.
   */
  public String fullText() {
    StringBuilder text = new StringBuilder();
    for (LogRecord record : records) {
      text.append(record.getLoggerName()).append(' ').append(record.getLevel()).append(' ')
          .append(formatter.formatMessage(record)).append(" | ").append(record.getMessage());
      Object[] parameters = record.getParameters();
      if (parameters != null) {
        for (Object parameter : parameters) {
          text.append(" | ").append(parameter);
        }
      }
      Throwable thrown = record.getThrown();
      if (thrown != null) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        text.append('\n').append(trace);
      }
      text.append('\n');
    }
    return text.toString();
  }

  /** Stops capturing and puts back every level it changed. Idempotent. */
  @Override
  public void close() {
    root.removeHandler(handler);
    previousLevels.forEach(Logger::setLevel);
    previousLevels.clear();
    root.setLevel(previousRootLevel);
  }
}
