package dev.baton.oauth2;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
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

/**
 * Captures every log record of every library in this JVM at the most verbose level: the
 * {@code java.util.logging} root logger and every logger that exists is set to {@link Level#ALL}
 * while attached, with one handler on the root. Baton logs through {@code System.Logger} (JUL by
 * default), the JDK's HTTP clients through JUL / {@code System.Logger}, and Spring and Tomcat
 * (the test's authorization server) through SLF4J to JUL ({@code slf4j-jdk14}) and JULI.
 * (Adapted from store-redis's harness of the same name.)
 *
 * <p>Use with try-with-resources. Thread-safe.
 */
final class ProcessLogs implements AutoCloseable {
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger root = LogManager.getLogManager().getLogger("");
  private final Map<Logger, Level> previousLevels = new HashMap<>();
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

  private ProcessLogs() {
    handler.setLevel(Level.ALL);
  }

  /** Starts capturing everything. */
  static ProcessLogs attach() {
    ProcessLogs logs = new ProcessLogs();
    LogManager manager = LogManager.getLogManager();
    for (String name : java.util.Collections.list(manager.getLoggerNames())) {
      Logger logger = manager.getLogger(name);
      if (logger != null) {
        logs.previousLevels.put(logger, logger.getLevel());
        logger.setLevel(name.isEmpty() ? Level.ALL : null); // inherit ALL from the root
      }
    }
    logs.root.setLevel(Level.ALL);
    logs.root.addHandler(logs.handler);
    return logs;
  }

  /** The records so far. */
  List<LogRecord> records() {
    return new ArrayList<>(records);
  }

  /** Whether a record came from a logger whose name starts with {@code prefix}. */
  boolean anyFrom(String prefix) {
    return records.stream().anyMatch(r -> r.getLoggerName() != null
        && r.getLoggerName().startsWith(prefix));
  }

  /** Records at {@code level} exactly, from logger {@code name}. */
  List<LogRecord> at(Level level, String name) {
    return records.stream()
        .filter(r -> r.getLevel().equals(level) && name.equals(r.getLoggerName()))
        .toList();
  }

  /**
   * Every record rendered as text: logger, formatted message with its parameters, the raw message
   * and parameters too, and the full exception chain with stack traces.
   */
  String fullText() {
    StringBuilder text = new StringBuilder();
    for (LogRecord record : records) {
      text.append(record.getLoggerName()).append(' ').append(record.getLevel()).append(' ')
          .append(formatter.formatMessage(record)).append(" | ").append(record.getMessage());
      if (record.getParameters() != null) {
        for (Object parameter : record.getParameters()) {
          text.append(" | ").append(parameter);
        }
      }
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        text.append('\n').append(trace);
      }
      text.append('\n');
    }
    return text.toString();
  }

  /** Stops capturing and restores every level it changed. */
  @Override
  public void close() {
    root.removeHandler(handler);
    previousLevels.forEach(Logger::setLevel);
    if (!previousLevels.containsKey(root)) {
      root.setLevel(Level.INFO);
    }
  }
}
