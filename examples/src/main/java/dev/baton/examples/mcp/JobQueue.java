package dev.baton.examples.mcp;

import java.util.function.Consumer;

/** Where {@code start_report} puts jobs, and how they reach a worker. */
public interface JobQueue extends AutoCloseable {
  /**
   * Starts delivering jobs. In-process queues run each job with {@code runner}; queues whose
   * workers are other processes ignore it.
   */
  void start(Consumer<Job> runner);

  /** Queues {@code job}; returns at once. */
  void submit(Job job);

  /** Stops delivering; jobs not yet started are dropped with the queue. */
  @Override
  void close();
}
