package dev.baton.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Instants in the form the codec writes ({@link Instant#toString()}), formatted and parsed without
 * the {@code java.time.format} machinery, which allocates a formatter context, a
 * {@code StringBuilder} and temporal objects per call.
 *
 * <p>Both directions are exact copies of the JDK's behaviour, not approximations: anything outside
 * the fast form (years before 1970 or after 9999, lower-case {@code t} or {@code z}, offsets, leap
 * seconds, out-of-range fields, any other shape) is handed to {@link Instant#toString()} or
 * {@link Instant#parse}, so results and refusals are the JDK's own.
 */
final class CanonicalInstants {
  /** 1970-01-01 to 10000-01-01, exclusive: the years printed as four digits without a sign. */
  private static final long MAX_FAST_SECOND = 253_402_300_800L;

  private static final long DAYS_0000_TO_1970 = 719_528L;

  private CanonicalInstants() {}

  /** Exactly {@code instant.toString()}. */
  static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < 0 || seconds >= MAX_FAST_SECOND) {
      return instant.toString();
    }
    int nanos = instant.getNano();
    long epochDay = seconds / 86_400;
    int secondOfDay = (int) (seconds % 86_400);
    // LocalDate.ofEpochDay's algorithm (March-based years), for non-negative days only.
    long zeroDay = epochDay + DAYS_0000_TO_1970 - 60;
    long yearEst = (400 * zeroDay + 591) / 146_097;
    long doyEst = zeroDay - (365 * yearEst + yearEst / 4 - yearEst / 100 + yearEst / 400);
    if (doyEst < 0) {
      yearEst--;
      doyEst = zeroDay - (365 * yearEst + yearEst / 4 - yearEst / 100 + yearEst / 400);
    }
    int marchDoy0 = (int) doyEst;
    int marchMonth0 = (marchDoy0 * 5 + 2) / 153;
    int month = (marchMonth0 + 2) % 12 + 1;
    int day = marchDoy0 - (marchMonth0 * 306 + 5) / 10 + 1;
    int year = (int) (yearEst + marchMonth0 / 10);

    int fractionDigits;
    int fraction;
    if (nanos == 0) {
      fractionDigits = 0;
      fraction = 0;
    } else if (nanos % 1_000_000 == 0) {
      fractionDigits = 3;
      fraction = nanos / 1_000_000;
    } else if (nanos % 1_000 == 0) {
      fractionDigits = 6;
      fraction = nanos / 1_000;
    } else {
      fractionDigits = 9;
      fraction = nanos;
    }
    byte[] text = new byte[20 + (fractionDigits == 0 ? 0 : fractionDigits + 1)];
    digits(text, 0, year, 4);
    text[4] = '-';
    digits(text, 5, month, 2);
    text[7] = '-';
    digits(text, 8, day, 2);
    text[10] = 'T';
    digits(text, 11, secondOfDay / 3600, 2);
    text[13] = ':';
    digits(text, 14, secondOfDay / 60 % 60, 2);
    text[16] = ':';
    digits(text, 17, secondOfDay % 60, 2);
    int end = 19;
    if (fractionDigits != 0) {
      text[19] = '.';
      digits(text, 20, fraction, fractionDigits);
      end = 20 + fractionDigits;
    }
    text[end] = 'Z';
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  private static void digits(byte[] text, int offset, int value, int count) {
    for (int i = offset + count - 1; i >= offset; i--) {
      text[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /**
   * Exactly {@code Instant.parse(text)}: the same instant, or the same exception.
   *
   * @throws java.time.format.DateTimeParseException as {@link Instant#parse} does
   */
  static Instant parse(String text) {
    Instant fast = parseFast(text);
    return fast != null ? fast : Instant.parse(text);
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with every field in range and a year from 1970 to 9999,
   * or null for anything else (which {@link Instant#parse} then judges).
   */
  private static @Nullable Instant parseFast(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || length == 21 || text.charAt(length - 1) != 'Z'
        || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int nanos = 0;
    if (length > 20) {
      if (text.charAt(19) != '.') {
        return null;
      }
      int fractionDigits = length - 21;
      int fraction = number(text, 20, fractionDigits);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = fractionDigits; i < 9; i++) {
        nanos *= 10;
      }
    }
    long epochDay = epochDay(year, month, day);
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
  }

  /** The decimal value of {@code count} ASCII digits at {@code offset}, or -1 if one is not. */
  private static int number(String text, int offset, int count) {
    int value = 0;
    for (int i = offset; i < offset + count; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static int monthLength(int year, int month) {
    return switch (month) {
      case 2 -> isLeap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  private static boolean isLeap(int year) {
    return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
  }

  /** LocalDate.toEpochDay's algorithm, for years from 0 on. */
  private static long epochDay(int year, int month, int day) {
    long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
    total += (367 * month - 362) / 12;
    total += day - 1;
    if (month > 2) {
      total--;
      if (!isLeap(year)) {
        total--;
      }
    }
    return total - DAYS_0000_TO_1970;
  }
}
