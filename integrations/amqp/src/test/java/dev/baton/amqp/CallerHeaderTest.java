package dev.baton.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.rabbitmq.client.impl.LongStringHelper;
import dev.baton.TaskKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading the caller header: only a canonical encoded key is accepted; nothing is echoed. */
class CallerHeaderTest {
  private static final TaskKey KEY = TaskKey.random(Callers.caller("alice"));

  @Test
  void parse_ofTheEncodedKey_isThatKey() {
    assertThat(CallerHeader.parse(KEY.encoded())).isEqualTo(KEY);
  }

  @Test
  void parse_ofAnAmqpLongString_isThatKey() {
    assertThat(CallerHeader.parse(LongStringHelper.asLongString(KEY.encoded()))).isEqualTo(KEY);
  }

  @Test
  void parse_ofUtf8Bytes_isThatKey() {
    assertThat(CallerHeader.parse(KEY.encoded().getBytes(StandardCharsets.UTF_8))).isEqualTo(KEY);
  }

  @Test
  void parse_ofANumber_isMalformed() {
    MessageRefusedException e = refused(42);

    assertThat(e.reason()).isEqualTo(RefusalReason.MALFORMED_KEY);
    assertThat(e.getMessage()).contains("Integer, not a string");
  }

  @Test
  void parse_ofGarbage_isMalformedAndShowsAtMostAShortPrefix() {
    String garbage = "forged-by-someone-who-wants-to-be-alice-" + "x".repeat(200);

    MessageRefusedException e = refused(garbage);

    assertThat(e.reason()).isEqualTo(RefusalReason.MALFORMED_KEY);
    assertThat(e.getMessage()).doesNotContain(garbage).doesNotContain("wants-to-be-alice");
  }

  @Test
  void parse_ofAHugeHeader_isMalformedWithoutDecodingIt() {
    String huge = "caller:" + "A".repeat(100_000) + ":id";

    MessageRefusedException e = refused(LongStringHelper.asLongString(huge));

    assertThat(e.reason()).isEqualTo(RefusalReason.MALFORMED_KEY);
    assertThat(e.getMessage()).contains("100010 bytes").hasSizeLessThan(300);
  }

  @Test
  void parse_ofInvalidUtf8_isMalformed() {
    MessageRefusedException e = refused(new byte[] {'a', ':', (byte) 0xC3, (byte) 0x28});

    assertThat(e.reason()).isEqualTo(RefusalReason.MALFORMED_KEY);
    assertThat(e.getMessage()).contains("not valid UTF-8");
  }

  @Test
  void parse_ofANonCanonicalEscape_isMalformed() {
    String lowerCaseEscape = KEY.scope() + "%3a:" + KEY.taskId();

    assertThat(refused(lowerCaseEscape).reason()).isEqualTo(RefusalReason.MALFORMED_KEY);
  }

  @Test
  void parse_ofAControlCharacter_isMalformedAndNotEchoed() {
    String injection = KEY.encoded() + "\nINFO fake log line";

    MessageRefusedException e = refused(injection);

    assertThat(e.reason()).isEqualTo(RefusalReason.MALFORMED_KEY);
    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("fake log line");
  }

  private static MessageRefusedException refused(Object value) {
    return catchThrowableOfType(MessageRefusedException.class, () -> CallerHeader.parse(value));
  }
}
