package dev.baton.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Baton's own route from its codecs into {@code dev.baton}: claim trees that
 * {@link dev.baton.AccessToken} takes as they are, without its defensive deep copy.
 *
 * <p>Not API: this package is not exported. The trust does not rest on hiding it, though (on the
 * class path anyone can call it): every value is validated as it is added, exactly as the
 * {@code AccessToken} constructor validates claims, and what {@code build()} returns is immutable
 * and of a class only {@code dev.baton} can create. A decoder fills these builders in its one pass
 * over the input instead of building maps that the token would then copy again.
 *
 * <p>{@code dev.baton} registers the one implementation when its claim classes are initialized (the
 * JDK's {@code SharedSecrets} pattern); {@link #get()} makes sure that has happened.
 */
public abstract class TrustedClaimTrees {
  private static final String IMPLEMENTATION = "dev.baton.FrozenClaims";

  private static volatile @Nullable TrustedClaimTrees instance;

  /** For the one implementation in {@code dev.baton}. */
  protected TrustedClaimTrees() {}

  /**
   * Sets the implementation; done once, by {@code dev.baton}.
   *
   * @throws IllegalStateException if one is already registered
   */
  public static synchronized void register(TrustedClaimTrees implementation) {
    if (instance != null) {
      throw new IllegalStateException("claim trees are already registered");
    }
    instance = implementation;
  }

  /** The implementation {@code dev.baton} registered. */
  public static TrustedClaimTrees get() {
    TrustedClaimTrees current = instance;
    if (current != null) {
      return current;
    }
    try {
      Class.forName(IMPLEMENTATION, true, TrustedClaimTrees.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(IMPLEMENTATION + " is part of Baton core", e);
    }
    current = instance;
    if (current == null) {
      throw new IllegalStateException(IMPLEMENTATION + " did not register itself");
    }
    return current;
  }

  /** A builder for one JSON object of claims. */
  public abstract ObjectBuilder newObject();

  /** A builder for one JSON array within claims. */
  public abstract ArrayBuilder newArray();

  /** Builds one claims object; values are checked as they are put. Single use, not thread-safe. */
  public interface ObjectBuilder {
    /**
     * Adds a member.
     *
     * @param value a JSON value as {@code AccessToken} allows it, or a map or list built by these
     *     builders (any other map or list is refused)
     * @return false if {@code name} was already present (the builder should then be dropped)
     * @throws IllegalArgumentException if the name or value breaks a rule of {@code AccessToken}'s
     *     claims; the message names no value
     */
    boolean put(String name, @Nullable Object value);

    /** The immutable object; the builder must not be used afterwards. */
    Map<String, @Nullable Object> build();
  }

  /** Builds one claims array; values are checked as they are added. Single use, not thread-safe. */
  public interface ArrayBuilder {
    /**
     * Adds an element.
     *
     * @throws IllegalArgumentException as {@link ObjectBuilder#put} says
     */
    void add(@Nullable Object value);

    /** The immutable array; the builder must not be used afterwards. */
    List<@Nullable Object> build();
  }
}
