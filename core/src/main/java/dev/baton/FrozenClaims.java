package dev.baton;

import dev.baton.internal.TrustedClaimTrees;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Claim maps and lists that were validated while they were built and cannot change: the
 * {@link AccessToken} constructor takes a {@link FrozenMap} as it is instead of deep-copying it.
 *
 * <p>Only the builders here create them, and the builders check every value as
 * {@link ClaimValues} does (JSON types only, normalized numbers, well-formed strings and names,
 * nesting at most {@link AccessToken#MAX_CLAIM_DEPTH}). They reach {@code dev.baton.codec} through
 * {@link TrustedClaimTrees}, registered when this class is initialized.
 */
final class FrozenClaims extends TrustedClaimTrees {
  static {
    TrustedClaimTrees.register(new FrozenClaims());
  }

  private FrozenClaims() {}

  @Override
  public TrustedClaimTrees.ObjectBuilder newObject() {
    return new ObjectBuilder();
  }

  @Override
  public TrustedClaimTrees.ArrayBuilder newArray() {
    return new ArrayBuilder();
  }

  /**
   * The height a container gets from holding {@code value} (its own nesting below it), or
   * {@code -1} when {@code value} is a valid leaf; refuses anything else.
   */
  private static int childHeight(@Nullable Object value) {
    if (value instanceof FrozenMap map) {
      return map.height + 1;
    }
    if (value instanceof FrozenList list) {
      return list.height + 1;
    }
    if (value instanceof String string) {
      int unpaired = Utf16.unpairedSurrogateAt(string);
      if (unpaired >= 0) {
        throw Utf16.unpairedSurrogate("a claim", unpaired);
      }
      return -1;
    }
    // Numbers arrive here normalized by leaf().
    if (value == null || value instanceof Boolean || value instanceof Number) {
      return -1;
    }
    throw new IllegalArgumentException("a claim built for a token must be normalized: String, Long,"
        + " BigInteger, BigDecimal, Boolean, null, or a map or list built alongside it");
  }

  /** A Number other than Long, normalized as the constructor does (BigInteger, BigDecimal). */
  private static @Nullable Object leaf(@Nullable Object value) {
    if (value instanceof Number number && !(value instanceof Long)) {
      return ClaimValues.normalize(number, "a claim");
    }
    return value;
  }

  private static int checkHeight(int height) {
    if (height > AccessToken.MAX_CLAIM_DEPTH) {
      throw new IllegalArgumentException(
          "claims nest deeper than " + AccessToken.MAX_CLAIM_DEPTH + " levels");
    }
    return height;
  }

  private static final class ObjectBuilder implements TrustedClaimTrees.ObjectBuilder {
    private @Nullable LinkedHashMap<String, @Nullable Object> map = new LinkedHashMap<>();
    private int height;

    @Override
    public boolean put(String name, @Nullable Object value) {
      LinkedHashMap<String, @Nullable Object> target = open(map);
      int unpaired = Utf16.unpairedSurrogateAt(name);
      if (unpaired >= 0) {
        throw Utf16.unpairedSurrogate("a claim name", unpaired);
      }
      Object normalized = leaf(value);
      height = Math.max(height, checkHeight(childHeight(normalized)));
      int size = target.size();
      target.put(name, normalized);
      return target.size() != size;
    }

    @Override
    public Map<String, @Nullable Object> build() {
      FrozenMap frozen = new FrozenMap(open(map), height);
      map = null;
      return frozen;
    }
  }

  private static final class ArrayBuilder implements TrustedClaimTrees.ArrayBuilder {
    private @Nullable Object @Nullable [] elements = new Object[8];
    private int size;
    private int height;

    @Override
    public void add(@Nullable Object value) {
      @Nullable Object[] target = open(elements);
      Object normalized = leaf(value);
      height = Math.max(height, checkHeight(childHeight(normalized)));
      if (size == target.length) {
        target = Arrays.copyOf(target, size * 2);
        elements = target;
      }
      target[size++] = normalized;
    }

    @Override
    public List<@Nullable Object> build() {
      @Nullable Object[] target = open(elements);
      FrozenList frozen = new FrozenList(
          size == target.length ? target : Arrays.copyOf(target, size), height);
      elements = null;
      return frozen;
    }
  }

  private static <T> T open(@Nullable T contents) {
    if (contents == null) {
      throw new IllegalStateException("this claim builder has already built");
    }
    return contents;
  }

  /** An immutable claims object; equal to any map with the same entries. */
  static final class FrozenMap extends AbstractMap<String, @Nullable Object> {
    private final Map<String, @Nullable Object> view;
    final int height;

    private FrozenMap(Map<String, @Nullable Object> map, int height) {
      this.view = Collections.unmodifiableMap(map);
      this.height = height;
    }

    @Override
    public int size() {
      return view.size();
    }

    @Override
    public boolean isEmpty() {
      return view.isEmpty();
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return view.containsKey(key);
    }

    @Override
    public boolean containsValue(@Nullable Object value) {
      return view.containsValue(value);
    }

    @Override
    public @Nullable Object get(@Nullable Object key) {
      return view.get(key);
    }

    @Override
    public Set<Entry<String, @Nullable Object>> entrySet() {
      return view.entrySet();
    }

    @Override
    public Set<String> keySet() {
      return view.keySet();
    }

    @Override
    public Collection<@Nullable Object> values() {
      return view.values();
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super @Nullable Object> action) {
      view.forEach(action);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o == this || view.equals(o);
    }

    @Override
    public int hashCode() {
      return view.hashCode();
    }

    @Override
    public String toString() {
      return view.toString();
    }

    // Every mutator throws, as Collections.unmodifiableMap's do (even when nothing would change).
    @Override
    public @Nullable Object put(String key, @Nullable Object value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable Object remove(@Nullable Object key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void putAll(Map<? extends String, ? extends @Nullable Object> m) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void clear() {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable Object putIfAbsent(String key, @Nullable Object value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean remove(@Nullable Object key, @Nullable Object value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean replace(String key, @Nullable Object oldValue, @Nullable Object newValue) {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable Object replace(String key, @Nullable Object value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void replaceAll(
        BiFunction<? super String, ? super @Nullable Object, ? extends @Nullable Object> f) {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable Object computeIfAbsent(
        String key, Function<? super String, ? extends @Nullable Object> f) {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable Object computeIfPresent(String key,
        BiFunction<? super String, ? super @Nullable Object, ? extends @Nullable Object> f) {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable Object compute(String key,
        BiFunction<? super String, ? super @Nullable Object, ? extends @Nullable Object> f) {
      throw new UnsupportedOperationException();
    }

    @Override
    public @Nullable Object merge(String key, Object value,
        BiFunction<? super @Nullable Object, ? super @Nullable Object,
            ? extends @Nullable Object> f) {
      throw new UnsupportedOperationException();
    }
  }

  /** An immutable claims array; equal to any list with the same elements. */
  static final class FrozenList extends AbstractList<@Nullable Object> implements RandomAccess {
    private final @Nullable Object[] elements;
    final int height;

    private FrozenList(@Nullable Object[] elements, int height) {
      this.elements = elements;
      this.height = height;
    }

    @Override
    public @Nullable Object get(int index) {
      return elements[index];
    }

    @Override
    public int size() {
      return elements.length;
    }
  }
}
