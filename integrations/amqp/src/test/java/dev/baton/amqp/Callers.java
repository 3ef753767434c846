package dev.baton.amqp;

import dev.baton.AccessToken;
import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import dev.baton.TaskKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Callers, captured keys and captured log records for the tests. */
public final class Callers {
  private Callers() {}

  /** A distinct caller: unique bearer token, client {@code client-NAME}, subject {@code user-NAME}. */
  public static AccessToken caller(String name) {
    return new AccessToken("bearer-" + name + "-" + UUID.randomUUID(), "client-" + name,
        List.of("read"), null, null, Map.of("sub", "user-" + name));
  }

  /** Records the key of every capture, to check afterwards that none is left in the store. */
  static final class CapturedKeys implements BatonListener {
    final Set<TaskKey> keys = ConcurrentHashMap.newKeySet();

    @Override
    public void onEvent(BatonEvent event) {
      if (event.type() == BatonEvent.Type.CAPTURED
          || event.type() == BatonEvent.Type.CAPTURED_ANONYMOUS) {
        keys.add(event.key());
      }
    }
  }

  /** Every log record of every logger while open, whatever its level is shown at. */
  public static final class Logs extends Handler implements AutoCloseable {
    final List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Starts recording. */
    public Logs() {
      Logger.getLogger("").addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    /** Every message and thrown exception chain, as text. */
    public String text() {
      StringBuilder out = new StringBuilder();
      for (LogRecord record : records) {
        out.append(record.getMessage()).append('\n');
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
          out.append(t).append('\n');
        }
      }
      return out.toString();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      Logger.getLogger("").removeHandler(this);
    }
  }
}
