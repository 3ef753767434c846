package dev.baton.amqp;

import com.rabbitmq.client.LongString;
import dev.baton.TaskKey;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The message headers Baton reads and writes, and the one place a caller header is read.
 *
 * <p><b>What a header holds.</b> Only {@link TaskKey#encoded()}: a scope derived from the
 * caller's client and subject (not secret) and a random UUID. Never a token, never a claim.
 *
 * <p><b>Headers are untrusted input.</b> Whoever can publish to a queue can write any header. A
 * value that is not a string, is longer than any key's encoding, is not valid UTF-8 or is not a
 * canonical encoding is refused as {@link RefusalReason#MALFORMED_KEY}; a well-formed key that
 * names no snapshot is refused as {@link RefusalReason#MISSING} by the store lookup. Neither runs
 * the listener, and neither is echoed in full: errors show at most a short, sanitized prefix.
 */
public final class CallerHeader {
  /** The header carrying the publisher's encoded {@link TaskKey}. */
  public static final String TASK_KEY = "baton-task-key";

  /**
   * The header Baton sets on a refused message it dead-letters itself: the {@link RefusalReason}'s
   * name, such as {@code MISSING}.
   */
  public static final String REFUSAL = "baton-refusal";

  /** On a refused message Baton dead-letters itself: the exchange it was first published to. */
  public static final String ORIGINAL_EXCHANGE = "baton-original-exchange";

  /** On a refused message Baton dead-letters itself: the routing key it was first published with. */
  public static final String ORIGINAL_ROUTING_KEY = "baton-original-routing-key";

  /** The longest encoded key, in chars: every char of both parts escaped, plus the separator. */
  static final int MAX_KEY_CHARS = 2 * 3 * TaskKey.MAX_LENGTH + 1;

  /** The longest UTF-8 form of a key of {@link #MAX_KEY_CHARS} chars. */
  private static final int MAX_KEY_BYTES = 3 * MAX_KEY_CHARS;

  private CallerHeader() {}

  /**
   * The key a {@value #TASK_KEY} header value names.
   *
   * @param value the header's value as the client delivered it: a {@link String}, an AMQP
   *     {@link LongString}, or a {@code byte[]} of UTF-8
   * @return the key
   * @throws NullPointerException if {@code value} is null
   * @throws MessageRefusedException ({@link RefusalReason#MALFORMED_KEY}) if the value is not an
   *     encoded key; the message never holds the value in full
   */
  public static TaskKey parse(Object value) {
    String text;
    if (value instanceof String s) {
      text = s;
    } else if (value instanceof LongString l) {
      text = utf8(l.getBytes(), l.length());
    } else if (value instanceof byte[] b) {
      text = utf8(b, b.length);
    } else {
      throw malformed("the header is a " + value.getClass().getSimpleName() + ", not a string");
    }
    if (text.length() > MAX_KEY_CHARS) {
      throw malformed("the header is " + text.length() + " chars long; no key encodes to more than "
          + MAX_KEY_CHARS);
    }
    try {
      return TaskKey.parse(text);
    } catch (IllegalArgumentException e) {
      // TaskKey.parse shows at most a short, sanitized prefix of the input.
      throw malformed(String.valueOf(e.getMessage()));
    }
  }

  private static String utf8(byte[] bytes, long length) {
    if (length > MAX_KEY_BYTES) {
      throw malformed("the header is " + length + " bytes long; no key encodes to more than "
          + MAX_KEY_BYTES);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed("the header is not valid UTF-8");
    }
  }

  private static MessageRefusedException malformed(String detail) {
    return new MessageRefusedException(RefusalReason.MALFORMED_KEY,
        "the " + TASK_KEY + " header is not an encoded task key: " + detail, null);
  }

  /** The value of {@code name} in {@code headers}, or {@code null} when there is none. */
  static @Nullable Object get(@Nullable Map<String, ?> headers, String name) {
    return headers == null ? null : headers.get(name);
  }
}
