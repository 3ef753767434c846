package dev.baton.scenarios;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures what Baton logs through {@code System.Logger} (which goes to {@code java.util.logging}
 * by default) under the {@code dev.baton} logger, at a chosen level.
 *
 * <p>Use it as a JUnit 5 extension, {@code @RegisterExtension final CapturedLogs logs =
 * CapturedLogs.atLevel(Level.ALL);}, which attaches before each test and detaches after, or by hand
 * with {@link #attach()} and {@link #close()} (try-with-resources). {@link #fullText()} renders
 * every record with its exception chain and stack traces, for leak scans. Thread-safe.
 */
public final class CapturedLogs implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
  private static final String ROOT = "dev.baton";

  private final Level level;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
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
  // Held strongly while attached: java.util.logging keeps loggers only weakly.
  private Logger logger;
  private Level previousLevel;

  private CapturedLogs(Level level) {
    this.level = Objects.requireNonNull(level, "level");
    handler.setLevel(Level.ALL);
  }

  /** Captures records at {@code level} and above; the logger is set to {@code level} meanwhile. */
  public static CapturedLogs atLevel(Level level) {
    return new CapturedLogs(level);
  }

  /** Captures everything, at the most verbose level. */
  public static CapturedLogs all() {
    return atLevel(Level.ALL);
  }

  /** Starts capturing; returns this for try-with-resources. */
  public CapturedLogs attach() {
    logger = Logger.getLogger(ROOT);
    previousLevel = logger.getLevel();
    logger.setLevel(level);
    logger.addHandler(handler);
    return this;
  }

  /** Stops capturing and restores the logger's level. Idempotent. */
  @Override
  public void close() {
    if (logger != null) {
      logger.removeHandler(handler);
      logger.setLevel(previousLevel);
      logger = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    records.clear();
    attach();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** The captured records, in order. */
  public List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** The records at exactly {@code level}. */
  public List<LogRecord> at(Level level) {
    return records.stream().filter(r -> r.getLevel().equals(level)).collect(Collectors.toList());
  }

  /** The formatted messages (parameters filled in), without exceptions. */
  public List<String> messages() {
    return records.stream().map(formatter::formatMessage).collect(Collectors.toList());
  }

  /** The formatted messages of the records at exactly {@code level}. */
  public List<String> messagesAt(Level level) {
    return at(level).stream().map(formatter::formatMessage).collect(Collectors.toList());
  }

  /**
   * Everything captured as text: each record's logger, level and formatted message, then its
   * exception's full stack trace (causes and suppressed exceptions included).
   */
  public String fullText() {
    StringBuilder text = new StringBuilder();
    for (LogRecord record : records) {
      text.append(record.getLoggerName()).append(' ').append(record.getLevel()).append(": ")
          .append(formatter.formatMessage(record)).append('\n');
      Throwable thrown = record.getThrown();
      if (thrown != null) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        text.append(trace).append('\n');
      }
    }
    return text.toString();
  }

  /** Forgets what was captured so far. */
  public void clear() {
    records.clear();
  }
}
