package dev.baton;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random task ids for {@link TaskKey#random}: version 4 UUIDs (122 random bits, the form
 * {@link UUID#randomUUID()} writes), whose bits are {@link SecureRandom} output drawn
 * {@value #BUFFER_BYTES} bytes at a time instead of one {@code SecureRandom} call per id.
 *
 * <p><b>Why the ids stay unguessable.</b> Every bit of an id is a bit the platform's
 * {@code SecureRandom} produced, used once and never derived or expanded: buffering changes when
 * the bytes are drawn, not what they are. The ids are therefore exactly as unpredictable as
 * {@code UUID.randomUUID()}'s, and knowing any number of earlier ids tells nothing about the
 * next. That is what a generator seeded once from {@code SecureRandom} would NOT give unless it
 * were itself a cryptographic DRBG: a fast non-cryptographic PRNG (a {@code SplittableRandom}, a
 * xorshift, {@code ThreadLocalRandom}) reveals its state from a few outputs, so one task id would
 * let a caller predict the next ones. A keyed DRBG (ChaCha20, AES-CTR) would be sound too, but
 * costs as much per id as the buffered bytes and adds crypto code of our own; the buffer is the
 * simplest construction whose security argument is "it is SecureRandom's output".
 *
 * <p>What the buffer changes: up to {@value #BUFFER_BYTES} bytes of future ids sit in the heap
 * before use (an attacker who reads this process's memory reads the bearer tokens anyway), and
 * each id's bytes are cleared from the buffer as soon as they are taken. Ids are spread over
 * {@value #STRIPES} independently locked buffers by thread, so threads rarely wait on each other,
 * and a buffer is refilled under its own lock only (on Linux the default {@code SecureRandom}
 * reads {@code /dev/urandom}, which never blocks once the kernel is seeded).
 *
 * <p>Thread-safe.
 */
final class RandomTaskIds {
  /** Bytes drawn per {@code SecureRandom} call: 32 ids. */
  private static final int BUFFER_BYTES = 512;
  private static final int ID_BYTES = 16;
  /** Independently locked buffers; a power of two, above the core counts ids are made on. */
  private static final int STRIPES = 16;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final Stripe[] BUFFERS = new Stripe[STRIPES];

  static {
    for (int i = 0; i < STRIPES; i++) {
      BUFFERS[i] = new Stripe();
    }
  }

  private RandomTaskIds() {}

  /** A new random version 4 UUID, as text. */
  static String next() {
    // The thread's identity hash picks its stripe: stable per thread, cached in the object header.
    int h = System.identityHashCode(Thread.currentThread());
    Stripe stripe = BUFFERS[(h ^ (h >>> 16)) & (STRIPES - 1)];
    long high;
    long low;
    synchronized (stripe) {
      byte[] bytes = stripe.bytes;
      int at = stripe.next;
      if (at == BUFFER_BYTES) {
        stripe.random.nextBytes(bytes);
        at = 0;
      }
      high = (long) LONGS.get(bytes, at);
      low = (long) LONGS.get(bytes, at + 8);
      LONGS.set(bytes, at, 0L);
      LONGS.set(bytes, at + 8, 0L);
      stripe.next = at + ID_BYTES;
    }
    // The version (4) and variant (IETF) bits, as UUID.randomUUID() sets them.
    high = (high & ~0xF000L) | 0x4000L;
    low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** One buffer of SecureRandom output and the position of its next unused byte. */
  private static final class Stripe {
    final SecureRandom random = new SecureRandom();
    final byte[] bytes = new byte[BUFFER_BYTES];
    /** Starts "used up": the first id drawn fills the buffer. */
    int next = BUFFER_BYTES;
  }
}
