package dev.baton.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.internal.TrustedClaimTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The versioned JSON encoding of snapshots: readable, strict, and bounded.
 *
 * <h2>Format (version {@value #FORMAT_VERSION})</h2>
 * One UTF-8 JSON object whose first field is the format version {@code "v"}:
 * <pre>{@code
 * {"v":1,"captured_at":"2025-01-02T03:04:05.123456789Z","anonymous":true}
 * {"v":1,"captured_at":"...","token":{"token":"...","client_id":"...","scopes":["..."],
 *   "expires_at":"..."|null,"resource":"..."|null,"claims":{...}}}
 * }</pre>
 * Instants are ISO-8601 ({@link Instant#toString()}, nanosecond precision). Every field shown is
 * required (the nullable ones as {@code null}), each exactly once; no other field is allowed.
 * Non-ASCII characters are written as {@code \}{@code uXXXX} escapes, so every string an
 * {@link AccessToken} can hold comes back exactly. Claims are written as plain JSON
 * values, so a decoded token {@linkplain Object#equals equals} the encoded one (see
 * {@link AccessToken} for how numbers are normalized).
 *
 * <h2>Reading untrusted bytes</h2>
 * The reader is a hand-written pass over Jackson's streaming parser: no data binding, no type
 * information is ever read from the input (no default typing, no polymorphism: a field such as
 * {@code "@class"} is just an unknown field, or an ordinary claim name). Work is bounded before and
 * during parsing: the value's size is checked before the parser sees it, then the parser enforces
 * a nesting depth of {@value #MAX_NESTING_DEPTH}, string and name lengths within the size limit, and
 * numbers of at most {@value #MAX_NUMBER_LENGTH} characters; exponents that would expand an integral
 * value to more digits than that are refused too. Every field's JSON type is checked: {@code "v"} must be an
 * integer, {@code scopes} an array of strings, and so on.
 *
 * <p>Any failure is a {@link SnapshotDecodeException} that names the task key, what was wrong and
 * where (line and column), but never a value read from the input, so neither the token nor any
 * other stored text can reach a log through it. It has no cause: the parser's own messages quote the
 * input.
 *
 * <p>This codec only checks that a value is well formed; it cannot tell a changed value from the
 * original. Wrap it in a {@link SealingSnapshotCodec} when the store must not be trusted.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class JsonSnapshotCodec implements SnapshotCodec {
  /** The format version this codec writes, and the only one it reads. */
  public static final int FORMAT_VERSION = 1;

  /** The default limit on the size of an encoded snapshot: 64 KiB. */
  public static final int DEFAULT_MAX_ENCODED_BYTES = 64 * 1024;

  /**
   * The longest claim number the format holds: an integral value has at most this many digits
   * (however it is written: an exponent such as {@code 1e999999999} must not expand past it), any
   * other value at most this many characters in {@link BigDecimal#toString()} form. Every finite
   * {@code double} fits. {@link AccessToken} refuses longer numbers (so everything written can be
   * read back), and decoding refuses them (so that a short input cannot become a huge number).
   */
  public static final int MAX_NUMBER_LENGTH = AccessToken.MAX_CLAIM_NUMBER_LENGTH;

  /** The deepest nesting of JSON arrays and objects the parser accepts. */
  static final int MAX_NESTING_DEPTH = 40;

  /**
   * The deepest claim nesting {@link AccessToken} accepts ({@link AccessToken#MAX_CLAIM_DEPTH}); checked
   * here first so the error says so without quoting claim names.
   */
  static final int MAX_CLAIM_DEPTH = AccessToken.MAX_CLAIM_DEPTH;

  /** Instants as {@link Instant#toString()} writes them are well below this. */
  private static final int MAX_INSTANT_LENGTH = 64;

  /** Bounds the bytes of everything but the token's own text (see {@link #sizeBound}). */
  private static final int FIXED_FIELDS_BOUND = 256 + 2 * MAX_INSTANT_LENGTH;

  /** The key is not part of a JSON encoding; any valid key will do for {@link #checkSize}. */
  private static final TaskKey SIZE_CHECK_KEY = new TaskKey("size", "check");

  /**
   * Builds decoded claims as AccessToken keeps them, validated as they are read, so that the token
   * takes them without a second copy.
   */
  private static final TrustedClaimTrees CLAIM_TREES = TrustedClaimTrees.get();

  private final int maxEncodedBytes;
  private final JsonFactory json;

  /**
   * The last token whose size bound fitted the limit, so that {@link #checkSize} of the next
   * snapshot of the same (immutable) token skips the walk: a caller's tasks usually share one
   * token instance. Only a bound that fitted is remembered, as any snapshot of that token then
   * fits; a token that needed the exact check is checked exactly every time. Held weakly, so the
   * codec never keeps a bearer token alive; a racing writer only replaces one fitting token with
   * another.
   */
  private volatile WeakReference<@Nullable AccessToken> lastFittingToken =
      new WeakReference<>(null);

  private JsonSnapshotCodec(int maxEncodedBytes) {
    this.maxEncodedBytes = maxEncodedBytes;
    this.json = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxDocumentLength(maxEncodedBytes)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(maxEncodedBytes)
            .maxNameLength(maxEncodedBytes)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build())
        // Parser messages must never carry input, even if someone logs one.
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        // Claim names come from tokens: keep them out of the factory's shared symbol table.
        .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
        .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
        .build();
  }

  /**
   * A codec with the default limits ({@link #DEFAULT_MAX_ENCODED_BYTES}).
   *
   * @return a new codec; never null
   */
  public static JsonSnapshotCodec create() {
    return builder().build();
  }

  /**
   * A builder for a codec with non-default limits.
   *
   * @return a new builder; never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The size limit of this codec.
   *
   * @return the largest encoded snapshot, in bytes, that this codec writes or reads
   */
  public int maxEncodedBytes() {
    return maxEncodedBytes;
  }

  /**
   * Encodes {@code snapshot} as version {@value #FORMAT_VERSION} JSON. The key is not part of the
   * encoding.
   *
   * @return a new array holding UTF-8 (in fact ASCII) JSON; never null
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the encoding exceeds {@link #maxEncodedBytes()}; the
   *     message names neither the token nor claim values
   */
  @Override
  public byte[] encode(TaskKey key, TokenSnapshot snapshot) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    // As ObjectMapper.writeValueAsBytes does: the output's segments come from the factory's
    // recycled buffers, so only the returned array is new (not a growing ByteArrayOutputStream).
    BufferRecycler recycler = json._getBufferRecycler();
    try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
      writeSnapshot(out, snapshot);
      if (out.size() > maxEncodedBytes) {
        throw new IllegalArgumentException(
            "snapshot encodes to " + out.size() + " bytes, over the limit of " + maxEncodedBytes);
      }
      byte[] bytes = out.toByteArray();
      out.release();
      return bytes;
    } finally {
      recycler.releaseToPool();
    }
  }

  /**
   * Writes {@code snapshot} once; each call of the function copies that JSON, since the key is not
   * part of the encoding.
   *
   * @throws IllegalArgumentException if the encoding exceeds {@link #maxEncodedBytes()}
   */
  @Override
  public Function<TaskKey, byte[]> encoderFor(TokenSnapshot snapshot) {
    byte[] encoded = encode(SIZE_CHECK_KEY, snapshot);
    return key -> {
      Objects.requireNonNull(key, "key");
      return encoded.clone();
    };
  }

  private void writeSnapshot(ByteArrayBuilder out, TokenSnapshot snapshot) {
    try (JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeNumberField("v", FORMAT_VERSION);
      g.writeStringField("captured_at", CanonicalInstants.format(snapshot.capturedAt()));
      AccessToken token = snapshot.accessToken().orElse(null);
      if (token == null) {
        g.writeBooleanField("anonymous", true);
      } else {
        g.writeObjectFieldStart("token");
        g.writeStringField("token", token.token());
        g.writeStringField("client_id", token.clientId());
        g.writeArrayFieldStart("scopes");
        for (String scope : token.scopes()) {
          g.writeString(scope);
        }
        g.writeEndArray();
        Instant expiresAt = token.expiresAt();
        g.writeStringField("expires_at", expiresAt == null ? null : CanonicalInstants.format(expiresAt));
        g.writeStringField("resource", token.resource());
        g.writeFieldName("claims");
        writeClaim(g, token.claims());
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      // Writing to memory does not fail; Jackson declares IOException for other sinks.
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
  }

  /**
   * Checks that {@link #encode} would accept {@code snapshot}, without encoding it when a cheap
   * upper bound of its size is already within the limit: for stores that keep snapshots as objects
   * yet must refuse what a serializing store refuses.
   *
   * @throws NullPointerException if {@code snapshot} is null
   * @throws IllegalArgumentException if the encoding would exceed {@link #maxEncodedBytes()}, with
   *     the same message as {@link #encode}
   */
  @SuppressWarnings("ReferenceEquality") // the same instance, not an equal one: equals walks it
  public void checkSize(TokenSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    AccessToken token = snapshot.accessToken().orElse(null);
    if (token != null && lastFittingToken.get() == token) {
      return;
    }
    if (sizeBound(snapshot) > maxEncodedBytes) {
      encode(SIZE_CHECK_KEY, snapshot); // exact; throws when really too large
    } else if (token != null) {
      lastFittingToken = new WeakReference<>(token);
    }
  }

  /**
   * An upper bound of the encoded size: every char of a string is written in at most six bytes
   * (an escape such as {@code \}{@code u00e9}), numbers as their {@code toString()}, and the fixed
   * fields (names, version, two instants, punctuation) in well under {@code FIXED_FIELDS_BOUND}
   * bytes.
   */
  private static long sizeBound(TokenSnapshot snapshot) {
    long bound = FIXED_FIELDS_BOUND;
    AccessToken token = snapshot.accessToken().orElse(null);
    if (token != null) {
      bound += stringBound(token.token()) + stringBound(token.clientId());
      for (String scope : token.scopes()) {
        bound += stringBound(scope) + 1;
      }
      String resource = token.resource();
      bound += resource == null ? 4 : stringBound(resource);
      bound += claimBound(token.claims());
    }
    return bound;
  }

  private static long claimBound(@Nullable Object value) {
    if (value instanceof String s) {
      return stringBound(s);
    }
    if (value instanceof Map<?, ?> map) {
      long bound = 2;
      for (var entry : map.entrySet()) {
        bound += stringBound((String) entry.getKey()) + 2 + claimBound(entry.getValue());
      }
      return bound;
    }
    if (value instanceof List<?> list) {
      long bound = 2;
      for (Object element : list) {
        bound += claimBound(element) + 1;
      }
      return bound;
    }
    if (value instanceof Long || value instanceof BigInteger || value instanceof BigDecimal) {
      return value.toString().length();
    }
    return 5; // true, false, null
  }

  private static long stringBound(String s) {
    return 6L * s.length() + 2;
  }

  private static void writeClaim(JsonGenerator g, @Nullable Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Long n) {
      g.writeNumber(n);
    } else if (value instanceof BigInteger n) {
      // AccessToken bounds every number to MAX_NUMBER_LENGTH characters, so all of them read back.
      g.writeNumber(n.toString());
    } else if (value instanceof BigDecimal n) {
      // toString() (never plain): short for any scale, and read back to an equal BigDecimal.
      g.writeNumber(n.toString());
    } else if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (var entry : map.entrySet()) {
        String name = (String) entry.getKey();
        g.writeFieldName(name);
        writeClaim(g, entry.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object element : list) {
        writeClaim(g, element);
      }
      g.writeEndArray();
    } else {
      // AccessToken normalizes claims to exactly the types above; no path is carried for a case
      // that cannot happen (it cost a string per claim).
      throw new IllegalStateException("a claim holds a " + value.getClass().getName()
          + ", which AccessToken does not allow");
    }
  }

  /**
   * Decodes a version {@value #FORMAT_VERSION} JSON snapshot. The key is used in messages only.
   *
   * @return the decoded snapshot; never null
   * @throws NullPointerException if an argument is null
   * @throws SnapshotDecodeException if {@code bytes} exceeds {@link #maxEncodedBytes()}, is not
   *     UTF-8, not JSON, of another format version, or breaks any rule of the format; the message
   *     names the key and the rule, never the token or other input, and there is no cause
   */
  @Override
  public TokenSnapshot decode(TaskKey key, byte[] bytes) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > maxEncodedBytes) {
      throw new SnapshotDecodeException(prefix(key) + "value is " + bytes.length
          + " bytes, over the limit of " + maxEncodedBytes);
    }
    try (JsonParser p = parser(key, bytes)) {
      return new Reader(key, p).snapshot();
    } catch (StreamConstraintsException e) {
      throw new SnapshotDecodeException(prefix(key) + "JSON exceeds a parser limit (nesting depth "
          + MAX_NESTING_DEPTH + ", number length " + MAX_NUMBER_LENGTH + ", string length "
          + maxEncodedBytes + ")" + at(e.getLocation()));
    } catch (JsonEOFException e) {
      throw new SnapshotDecodeException(prefix(key) + "JSON is truncated" + at(e.getLocation()));
    } catch (JsonProcessingException e) {
      throw new SnapshotDecodeException(prefix(key) + "malformed JSON" + at(e.getLocation()));
    } catch (IOException e) {
      // The parser reads from memory; any other IOException is still malformed input.
      throw new SnapshotDecodeException(prefix(key) + "unreadable JSON");
    }
  }

  /**
   * A parser over the value. What this codec writes is ASCII (every other char is escaped): such a
   * value is valid UTF-8 as it is, and is parsed from the bytes directly, through a reader that
   * widens each byte to a char. (Given the bytes themselves, Jackson's factory would copy them into
   * a String first: with field-name canonicalization off, which keeps claim names out of a shared
   * table, it parses bytes as text. The copy was a tenth of a Redis round trip's allocation.)
   * Anything else is checked
   * to be strict UTF-8 and parsed as text, so that locations in messages count chars. A NUL byte
   * takes the text path too: it would make Jackson's byte parser guess UTF-16 or UTF-32.
   */
  private JsonParser parser(TaskKey key, byte[] bytes) throws IOException {
    if (isAsciiWithoutNul(bytes)) {
      return json.createParser(new AsciiReader(bytes));
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SnapshotDecodeException(prefix(key) + "value is not valid UTF-8");
    }
    return json.createParser(text);
  }

  private static boolean isAsciiWithoutNul(byte[] bytes) {
    // Eight bytes at a time (this scan was a twelfth of a decode byte by byte): a word has a byte
    // with its high bit set when (word & HIGH_BITS) != 0, and a zero byte when
    // (word - LOW_BITS) & ~word & HIGH_BITS != 0 (exact for words without high bits).
    int i = 0;
    for (int end = bytes.length - 7; i < end; i += 8) {
      long word = (long) LONGS.get(bytes, i);
      if ((word & HIGH_BITS) != 0 || ((word - LOW_BITS) & ~word & HIGH_BITS) != 0) {
        return false;
      }
    }
    for (; i < bytes.length; i++) {
      if (bytes[i] <= 0) {
        return false;
      }
    }
    return true;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long LOW_BITS = 0x0101010101010101L;

  private static final SerializedString NAME_V = new SerializedString("v");

  /** The fields of a snapshot after {@code "v"}, in the order {@link #encode} writes them. */
  private static final SerializedString[] SNAPSHOT_ORDER = {
      new SerializedString("captured_at"), new SerializedString("token")};

  /** The fields of a token, in the order {@link #encode} writes them. */
  private static final SerializedString[] TOKEN_ORDER = {
      new SerializedString("token"), new SerializedString("client_id"),
      new SerializedString("scopes"), new SerializedString("expires_at"),
      new SerializedString("resource"), new SerializedString("claims")};

  /**
   * The chars of bytes known to be ASCII; no copy of the input is made. The ISO-8859-1 decoder
   * widens array to array in one intrinsic (vectorized) step, where a loop of our own did it char
   * by char. Not thread-safe.
   */
  private static final class AsciiReader extends java.io.Reader {
    private final ByteBuffer bytes;
    private final CharsetDecoder widen = StandardCharsets.ISO_8859_1.newDecoder();

    AsciiReader(byte[] bytes) {
      this.bytes = ByteBuffer.wrap(bytes);
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, buffer.length);
      if (length == 0) {
        return 0;
      }
      if (!bytes.hasRemaining()) {
        return -1;
      }
      CharBuffer out = CharBuffer.wrap(buffer, offset, length);
      // ISO-8859-1 maps every byte: the result is UNDERFLOW (input used up) or OVERFLOW (buffer
      // full), never an error.
      var unused = widen.decode(bytes, out, true);
      return out.position() - offset;
    }

    @Override
    public void close() {}
  }

  /** Describes the codec's limits; holds nothing secret. */
  @Override
  public String toString() {
    return "JsonSnapshotCodec[v" + FORMAT_VERSION + ", maxEncodedBytes=" + maxEncodedBytes + "]";
  }

  private static String prefix(TaskKey key) {
    return "cannot decode snapshot for " + key + ": ";
  }

  private static String at(@Nullable JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /** One pass over one value; every message it builds is free of input text. */
  private static final class Reader {
    private final TaskKey key;
    private final JsonParser p;

    Reader(TaskKey key, JsonParser p) {
      this.key = key;
      this.p = p;
    }

    /**
     * The next field's name, or null at the end of the object. {@code order[field]} is the name
     * {@link #encode} writes at this position: when it comes next, the parser matches it in place
     * and no String is made for it (nine per snapshot). Any other name is read as usual, so the
     * order is a guess only; every rule (unknown, duplicate, missing fields) is checked by the
     * caller alike.
     */
    private @Nullable String nextName(SerializedString[] order, int field) throws IOException {
      if (field < order.length) {
        if (p.nextFieldName(order[field])) {
          return order[field].getValue();
        }
        // Not the expected name: the parser has still moved on to the next token.
        return p.currentToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
      }
      return p.nextToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
    }

    TokenSnapshot snapshot() throws IOException {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw fail("a snapshot must be a JSON object");
      }
      if (!p.nextFieldName(NAME_V)) {
        throw fail("a snapshot must start with its format version field \"v\"");
      }
      readVersion();
      Instant capturedAt = null;
      boolean anonymous = false;
      AccessToken token = null;
      String name;
      for (int field = 0; (name = nextName(SNAPSHOT_ORDER, field)) != null; field++) {
        switch (name) {
          case "captured_at" -> {
            requireFirst(capturedAt == null, "captured_at");
            p.nextToken();
            capturedAt = readInstant("captured_at");
          }
          case "anonymous" -> {
            requireFirst(!anonymous, "anonymous");
            if (p.nextToken() != JsonToken.VALUE_TRUE) {
              throw fail("\"anonymous\" must be true when present");
            }
            anonymous = true;
          }
          case "token" -> {
            requireFirst(token == null, "token");
            if (p.nextToken() != JsonToken.START_OBJECT) {
              throw fail("\"token\" must be an object");
            }
            token = readToken();
          }
          case "v" -> throw fail("duplicate field \"v\"");
          default -> throw fail(
              "unknown field in snapshot (version 1 has v, captured_at, anonymous, token)");
        }
      }
      // The parser guarantees END_OBJECT here: only field names or the end follow in an object.
      if (capturedAt == null) {
        throw fail("missing field \"captured_at\"");
      }
      if (anonymous == (token != null)) {
        throw fail("a snapshot must have exactly one of \"anonymous\" and \"token\"");
      }
      if (p.nextToken() != null) {
        throw fail("unexpected content after the snapshot object");
      }
      return TokenSnapshot.ofNullable(token, capturedAt);
    }

    private void readVersion() throws IOException {
      JsonToken t = p.nextToken();
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw fail("\"v\" must be an integer");
      }
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw new SnapshotDecodeException(prefix(key)
            + "unsupported snapshot format version (out of range); this Baton reads version "
            + FORMAT_VERSION);
      }
      long version = p.getLongValue();
      if (version != FORMAT_VERSION) {
        throw new SnapshotDecodeException(prefix(key) + "unsupported snapshot format version "
            + version + "; this Baton reads version " + FORMAT_VERSION);
      }
    }

    private AccessToken readToken() throws IOException {
      String token = null;
      String clientId = null;
      List<String> scopes = null;
      Instant expiresAt = null;
      boolean hasExpiresAt = false;
      String resource = null;
      boolean hasResource = false;
      Map<String, @Nullable Object> claims = null;
      String name;
      for (int field = 0; (name = nextName(TOKEN_ORDER, field)) != null; field++) {
        JsonToken t = p.nextToken();
        switch (name) {
          case "token" -> {
            requireFirst(token == null, "token.token");
            token = readNonBlankString(t, "token.token");
          }
          case "client_id" -> {
            requireFirst(clientId == null, "token.client_id");
            clientId = readNonBlankString(t, "token.client_id");
          }
          case "scopes" -> {
            requireFirst(scopes == null, "token.scopes");
            scopes = readScopes(t);
          }
          case "expires_at" -> {
            requireFirst(!hasExpiresAt, "token.expires_at");
            hasExpiresAt = true;
            expiresAt = t == JsonToken.VALUE_NULL ? null : readInstant("token.expires_at");
          }
          case "resource" -> {
            requireFirst(!hasResource, "token.resource");
            hasResource = true;
            resource = t == JsonToken.VALUE_NULL ? null : readNonBlankString(t, "token.resource");
          }
          case "claims" -> {
            requireFirst(claims == null, "token.claims");
            if (t != JsonToken.START_OBJECT) {
              throw fail("\"token.claims\" must be an object");
            }
            claims = readClaimObject(0);
          }
          default -> throw fail("unknown field in token (version 1 has token, client_id, scopes,"
              + " expires_at, resource, claims)");
        }
      }
      String presentToken = requirePresent(token, "token.token");
      String presentClientId = requirePresent(clientId, "token.client_id");
      List<String> presentScopes = requirePresent(scopes, "token.scopes");
      requirePresent(hasExpiresAt, "token.expires_at");
      requirePresent(hasResource, "token.resource");
      Map<String, @Nullable Object> presentClaims = requirePresent(claims, "token.claims");
      try {
        return new AccessToken(
            presentToken, presentClientId, presentScopes, expiresAt, resource, presentClaims);
      } catch (RuntimeException e) {
        // Every rule of AccessToken is checked above; this is a backstop whose message (claim
        // names) is not repeated.
        throw fail("the token object breaks a rule of AccessToken ("
            + e.getClass().getSimpleName() + ")");
      }
    }

    private List<String> readScopes(JsonToken t) throws IOException {
      if (t != JsonToken.START_ARRAY) {
        throw fail("\"token.scopes\" must be an array of strings");
      }
      var scopes = new ArrayList<String>();
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t != JsonToken.VALUE_STRING) {
          throw fail("\"token.scopes[" + scopes.size() + "]\" must be a string");
        }
        String scope = p.getText();
        if (scope.isBlank()) {
          throw fail("\"token.scopes[" + scopes.size() + "]\" must not be blank");
        }
        scopes.add(scope);
      }
      return scopes;
    }

    private Map<String, @Nullable Object> readClaimObject(int depth) throws IOException {
      checkClaimDepth(depth);
      TrustedClaimTrees.ObjectBuilder object = CLAIM_TREES.newObject();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        Object value = readClaim(t, depth + 1);
        boolean added;
        try {
          added = object.put(name, value);
        } catch (IllegalArgumentException e) {
          throw breaksClaimRule(e);
        }
        if (!added) {
          throw fail("duplicate claim name");
        }
      }
      return object.build();
    }

    private SnapshotDecodeException breaksClaimRule(IllegalArgumentException e) {
      // Every rule is checked by the claim builder; its message (claim names) is not repeated.
      return fail("a claim breaks a rule of AccessToken (" + e.getClass().getSimpleName() + ")");
    }

    private @Nullable Object readClaim(@Nullable JsonToken t, int depth) throws IOException {
      if (t == null) {
        throw fail("claims end early");
      }
      return switch (t) {
        case START_OBJECT -> readClaimObject(depth);
        case START_ARRAY -> {
          checkClaimDepth(depth);
          TrustedClaimTrees.ArrayBuilder array = CLAIM_TREES.newArray();
          JsonToken e;
          while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            Object element = readClaim(e, depth + 1);
            try {
              array.add(element);
            } catch (IllegalArgumentException rule) {
              throw breaksClaimRule(rule);
            }
          }
          yield array.build();
        }
        case VALUE_STRING -> p.getText();
        case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? p.getBigIntegerValue()
            : (Object) p.getLongValue();
        case VALUE_NUMBER_FLOAT -> readDecimal();
        case VALUE_TRUE -> true;
        case VALUE_FALSE -> false;
        case VALUE_NULL -> null;
        default -> throw fail("a claim must be a JSON value");
      };
    }

    /**
     * A number with a fraction or exponent, exactly. An exponent can make a short number huge
     * ({@code 1e999999999}); AccessToken turns integral values into BigInteger, so those are
     * refused here unless they fit in {@link #MAX_NUMBER_LENGTH} digits. Other values must fit in as
     * many characters as encode allows, so that whatever decodes can be encoded again.
     */
    private BigDecimal readDecimal() throws IOException {
      BigDecimal d;
      try {
        d = p.getDecimalValue();
      } catch (NumberFormatException | ArithmeticException e) {
        throw fail("a claim number is out of range");
      }
      if (d.scale() <= 0) {
        // AccessToken makes this integral value a Long or BigInteger: bound its digits first.
        if ((long) d.precision() - d.scale() > MAX_NUMBER_LENGTH) {
          throw fail("a claim number has more than " + MAX_NUMBER_LENGTH + " digits");
        }
      } else if (d.toString().length() > MAX_NUMBER_LENGTH) {
        throw fail("a claim number is longer than " + MAX_NUMBER_LENGTH + " characters");
      }
      return d;
    }

    private void checkClaimDepth(int depth) {
      if (depth > MAX_CLAIM_DEPTH) {
        throw fail("claims nest deeper than " + MAX_CLAIM_DEPTH + " levels");
      }
    }

    private Instant readInstant(String field) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw fail("\"" + field + "\" must be an ISO-8601 instant string");
      }
      String text = p.getText();
      if (text.length() > MAX_INSTANT_LENGTH) {
        throw fail("\"" + field + "\" is not an ISO-8601 instant (too long)");
      }
      try {
        return CanonicalInstants.parse(text);
      } catch (DateTimeException | ArithmeticException e) {
        throw fail("\"" + field + "\" is not an ISO-8601 instant");
      }
    }

    private String readNonBlankString(@Nullable JsonToken t, String field) throws IOException {
      if (t != JsonToken.VALUE_STRING) {
        throw fail("\"" + field + "\" must be a string");
      }
      String value = p.getText();
      if (value.isBlank()) {
        throw fail("\"" + field + "\" must not be blank");
      }
      return value;
    }

    private void requireFirst(boolean first, String field) {
      if (!first) {
        throw fail("duplicate field \"" + field + "\"");
      }
    }

    private <T> T requirePresent(@Nullable T value, String field) {
      if (value == null) {
        throw fail("missing field \"" + field + "\"");
      }
      return value;
    }

    private void requirePresent(boolean present, String field) {
      if (!present) {
        throw fail("missing field \"" + field + "\"");
      }
    }

    private SnapshotDecodeException fail(String rule) {
      return new SnapshotDecodeException(prefix(key) + rule + at(p.currentTokenLocation()));
    }
  }

  /**
   * Configures a {@link JsonSnapshotCodec}. Not thread-safe; each option may be set once.
   */
  public static final class Builder {
    private int maxEncodedBytes = -1;

    private Builder() {}

    /**
     * The largest encoded snapshot, in bytes; default {@link #DEFAULT_MAX_ENCODED_BYTES}. Larger
     * snapshots are refused by {@code encode} and larger values by {@code decode}, before parsing.
     *
     * @param maxEncodedBytes the limit, in bytes; positive
     * @return this builder
     * @throws IllegalArgumentException if {@code maxEncodedBytes} is not positive
     * @throws IllegalStateException if the option was already set
     */
    public Builder maxEncodedBytes(int maxEncodedBytes) {
      if (this.maxEncodedBytes != -1) {
        throw new IllegalStateException("maxEncodedBytes was already set to " + this.maxEncodedBytes);
      }
      if (maxEncodedBytes <= 0) {
        throw new IllegalArgumentException("maxEncodedBytes must be positive: " + maxEncodedBytes);
      }
      this.maxEncodedBytes = maxEncodedBytes;
      return this;
    }

    /**
     * A codec with the options set so far.
     *
     * @return a new codec; never null
     */
    public JsonSnapshotCodec build() {
      return new JsonSnapshotCodec(
          maxEncodedBytes == -1 ? DEFAULT_MAX_ENCODED_BYTES : maxEncodedBytes);
    }
  }
}
