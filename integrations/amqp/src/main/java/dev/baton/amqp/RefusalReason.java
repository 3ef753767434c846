package dev.baton.amqp;

import dev.baton.RestoreFailedException;

/**
 * Why a consumer refused a message instead of running it: the value of the
 * {@value CallerHeader#REFUSAL} header on the dead-lettered copy, and of
 * {@link MessageRefusedException#reason()}.
 */
public enum RefusalReason {
  /**
   * The {@value CallerHeader#TASK_KEY} header is not an encoded {@link dev.baton.TaskKey}: not a
   * string, too long, or not in the canonical encoding. A forged or damaged header.
   */
  MALFORMED_KEY,
  /**
   * The key is well formed but names no snapshot: never captured (a forged key), expired, already
   * taken by an earlier delivery ({@link dev.baton.RestoreMode#TAKE}) or deleted after the message
   * was handled once. {@link RestoreFailedException.Reason#MISSING}.
   */
  MISSING,
  /**
   * The store failed or its value could not be decoded (a sealed value copied to another key, a
   * wrong sealing key). {@link RestoreFailedException.Reason#STORE_FAILED}.
   */
  STORE_FAILED,
  /**
   * The snapshot holds a caller whose token had expired (plus leeway) by the time the message was
   * consumed: under {@link dev.baton.RestoreFailurePolicy#FAIL} it never runs as nobody instead.
   * {@link RestoreFailedException.Reason#CALLER_EXPIRED}.
   */
  CALLER_EXPIRED,
  /**
   * The message has no {@value CallerHeader#TASK_KEY} header and the consumer was built with
   * {@link BatonAmqp.Builder#requireCallerHeader(boolean)}.
   */
  NO_KEY,
  /**
   * A batch of messages reached a batch listener with at least one caller header: one call cannot
   * act as several callers, so the batch is refused as a whole (Spring AMQP only).
   */
  BATCH;

  static RefusalReason of(RestoreFailedException.Reason reason) {
    return switch (reason) {
      case MISSING -> MISSING;
      case STORE_FAILED -> STORE_FAILED;
      case CALLER_EXPIRED -> CALLER_EXPIRED;
    };
  }
}
