package dev.baton.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingSnapshotCodec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round trips (encode, then decode) of one realistic snapshot ({@link Fixtures#snapshot()}: a ~1 KB
 * JWT, five scopes, ten claims, one nested) with {@link JsonSnapshotCodec} and
 * {@link SealingSnapshotCodec} (XAES-256-GCM from Google Tink around the JSON; what sealing adds
 * per round trip is {@code roundTripSealed - roundTripJson}), beside their peer: Jackson data
 * binding of the same data as a {@code Map} ({@code writeValueAsBytes} then {@code readValue(bytes,
 * Map.class)}), what a naive implementation would do with no limits, type checks or sealing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The sealed decode was still speeding up after 3 x 1 s of warm-up: 3 x 2 s lets it settle. A
// fork of the JSON round trip sometimes settles in a slower compiled state: two forks show both.
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 1)
@Fork(2)
@State(Scope.Thread)
public class CodecBenchmark {
  private final TaskKey key = new TaskKey("caller:bench", "3f2b8c1e-9a7d-4e65-b0c4-2d1f6e8a9b70");
  private TokenSnapshot snapshot;
  private JsonSnapshotCodec json;
  private SealingSnapshotCodec sealed;
  private ObjectMapper mapper;
  private Map<String, Object> asMap;

  private byte[] jsonBytes;
  private byte[] jacksonBytes;

  @Setup
  public void setUp() throws IOException {
    snapshot = Fixtures.snapshot();
    json = JsonSnapshotCodec.create();
    sealed = SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(), Fixtures.keyRing());
    mapper = new ObjectMapper();
    asMap = asMap(snapshot);

    jsonBytes = json.encode(key, snapshot);
    jacksonBytes = mapper.writeValueAsBytes(asMap);
    if (!roundTripJson().equals(snapshot) || !roundTripSealed().equals(snapshot)
        || !roundTripJacksonPeer().equals(mapper.readValue(jacksonBytes, Map.class))) {
      throw new IllegalStateException("a codec did not give the snapshot back");
    }
  }

  /** The snapshot as the naive peer would hold it: the same fields, in the same JSON shape. */
  static Map<String, Object> asMap(TokenSnapshot snapshot) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("v", 1);
    map.put("captured_at", snapshot.capturedAt().toString());
    map.put("token", tokenAsMap(snapshot.accessToken().orElseThrow()));
    return map;
  }

  /** The token alone as a JSON object: what "the token's JSON" means in the size figures. */
  static Map<String, Object> tokenAsMap(AccessToken t) {
    Map<String, Object> token = new LinkedHashMap<>();
    token.put("token", t.token());
    token.put("client_id", t.clientId());
    token.put("scopes", t.scopes());
    token.put("expires_at", String.valueOf(t.expiresAt()));
    token.put("resource", t.resource());
    token.put("claims", t.claims());
    return token;
  }

  /** Baton's JSON codec: encode, then decode what it wrote. */
  @Benchmark
  public TokenSnapshot roundTripJson() {
    return json.decode(key, json.encode(key, snapshot));
  }

  /** The sealing codec: the JSON round trip plus sealing and opening (XAES-256-GCM). */
  @Benchmark
  public TokenSnapshot roundTripSealed() {
    return sealed.decode(key, sealed.encode(key, snapshot));
  }

  /** The peer: Jackson data binding of the same data as a map, written and read back. */
  @Benchmark
  public Map<?, ?> roundTripJacksonPeer() throws IOException {
    return mapper.readValue(mapper.writeValueAsBytes(asMap), Map.class);
  }

  /** Decode alone, for reading the round trip: the part issue 17 found slowest. */
  @Benchmark
  public TokenSnapshot decodeJson() {
    return json.decode(key, jsonBytes);
  }

  @Benchmark
  public Map<?, ?> decodeJacksonPeer() throws IOException {
    return mapper.readValue(jacksonBytes, Map.class);
  }
}
