package dev.baton.examples.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * In-process workers ({@code --store memory:local}): a fixed pool of threads. A held queue keeps
 * jobs until {@link #release()}, so a scenario can let tokens expire while jobs wait, as they do in
 * a real backlog.
 */
public final class LocalJobQueue implements JobQueue {
  private final ExecutorService workers;
  private final List<Job> held = new ArrayList<>();
  private boolean holding;
  private @Nullable Consumer<Job> runner;

  /** A queue with {@code workers} threads, delivering at once unless {@code held}. */
  public LocalJobQueue(int workers, boolean held) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1: " + workers);
    }
    this.workers = Executors.newFixedThreadPool(workers, r -> {
      Thread thread = new Thread(r, "report-worker");
      thread.setDaemon(true);
      return thread;
    });
    this.holding = held;
  }

  @Override
  public synchronized void start(Consumer<Job> runner) {
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public synchronized void submit(Job job) {
    if (holding) {
      held.add(job);
    } else {
      dispatch(job);
    }
  }

  /** Delivers the held jobs, and every later one at once. */
  public synchronized void release() {
    holding = false;
    held.forEach(this::dispatch);
    held.clear();
  }

  private void dispatch(Job job) {
    Consumer<Job> run = Objects.requireNonNull(runner, "start() was not called");
    workers.execute(() -> run.accept(job));
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
