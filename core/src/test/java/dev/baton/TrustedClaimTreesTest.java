package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.internal.TrustedClaimTrees;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The codecs' route around AccessToken's copy: what it builds is validated like the constructor's
 * input, immutable, and taken as it is; nothing else is.
 */
class TrustedClaimTreesTest {
  private static final TrustedClaimTrees TREES = TrustedClaimTrees.get();

  private static AccessToken tokenWith(Map<String, ?> claims) {
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) claims;
    return new AccessToken("bearer", "client", List.of(), null, null, typed);
  }

  private static Map<String, Object> nested() {
    TrustedClaimTrees.ArrayBuilder roles = TREES.newArray();
    roles.add("admin");
    roles.add(7L);
    TrustedClaimTrees.ObjectBuilder realm = TREES.newObject();
    realm.put("roles", roles.build());
    TrustedClaimTrees.ObjectBuilder claims = TREES.newObject();
    claims.put("sub", "alice");
    claims.put("realm_access", realm.build());
    claims.put("ratio", new BigDecimal("0.5"));
    return claims.build();
  }

  @Test
  void accessToken_takesABuiltTree_asItIs() {
    Map<String, Object> claims = nested();

    assertThat(tokenWith(claims).claims()).isSameAs(claims);
  }

  @Test
  void builtTree_equalsTheTreeTheConstructorCopies() {
    Map<String, Object> plain = new LinkedHashMap<>();
    plain.put("sub", "alice");
    plain.put("realm_access", Map.of("roles", List.of("admin", 7)));
    plain.put("ratio", 0.5);

    assertThat(tokenWith(nested())).isEqualTo(tokenWith(plain));
    assertThat(tokenWith(plain)).isEqualTo(tokenWith(nested()));
    assertThat(tokenWith(nested()).hashCode()).isEqualTo(tokenWith(plain).hashCode());
  }

  @Test
  void builtTree_cannotBeChanged_atAnyLevel() {
    Map<String, Object> claims = nested();
    @SuppressWarnings("unchecked")
    Map<String, Object> realm = (Map<String, Object>) claims.get("realm_access");
    @SuppressWarnings("unchecked")
    List<Object> roles = (List<Object>) realm.get("roles");

    assertThatThrownBy(() -> claims.put("sub", "mallory"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> claims.computeIfAbsent("sub", k -> "x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> claims.entrySet().iterator().next().setValue("mallory"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> claims.keySet().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> realm.remove("roles"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> roles.set(0, "root"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> roles.add("root")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> {
      var iterator = roles.iterator();
      iterator.next();
      iterator.remove();
    }).isInstanceOf(UnsupportedOperationException.class);
    assertThat(roles).containsExactly("admin", 7L);
  }

  @Test
  void builder_normalizesNumbers_asTheConstructorDoes() {
    TrustedClaimTrees.ObjectBuilder claims = TREES.newObject();
    claims.put("small", new BigDecimal("1E+2"));
    claims.put("big", new BigInteger("123456789012345678901234567890"));
    claims.put("fraction", new BigDecimal("1.50"));

    assertThat(claims.build()).containsEntry("small", 100L)
        .containsEntry("big", new BigInteger("123456789012345678901234567890"))
        .containsEntry("fraction", new BigDecimal("1.50"));
  }

  @Test
  void builder_refusesAnUnpairedSurrogate_inAValueOrAName() {
    assertThatIllegalArgumentException().isThrownBy(() -> TREES.newObject().put("sub", "a\uD800"));
    assertThatIllegalArgumentException().isThrownBy(() -> TREES.newObject().put("\uDC00", "a"));
    assertThatIllegalArgumentException().isThrownBy(() -> TREES.newArray().add("\uD83D"));
  }

  @Test
  void builder_refusesContainersItDidNotBuild() {
    // A caller's map could be changed after it was added: only the constructor's copy takes it.
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TREES.newObject().put("m", new HashMap<>()));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TREES.newArray().add(new ArrayList<>()));
    assertThatIllegalArgumentException().isThrownBy(() -> TREES.newArray().add(new Object()));
  }

  @Test
  void builder_refusesOverlongNumbers() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TREES.newObject().put("n", new BigDecimal("1E+999999999")));
  }

  @Test
  void builder_refusesNesting_deeperThanTheConstructorAllows() {
    Object deepest = TREES.newArray().build();
    for (int depth = 0; depth < AccessToken.MAX_CLAIM_DEPTH; depth++) {
      TrustedClaimTrees.ArrayBuilder level = TREES.newArray();
      level.add(deepest);
      deepest = level.build();
    }
    TrustedClaimTrees.ObjectBuilder top = TREES.newObject();
    Object tooDeep = deepest;

    assertThatIllegalArgumentException().isThrownBy(() -> top.put("deep", tooDeep))
        .withMessageContaining("deeper than " + AccessToken.MAX_CLAIM_DEPTH);
  }

  @Test
  void builder_atTheDepthLimit_givesWhatTheConstructorAccepts() {
    Object deepest = TREES.newArray().build();
    for (int depth = 1; depth < AccessToken.MAX_CLAIM_DEPTH; depth++) {
      TrustedClaimTrees.ArrayBuilder level = TREES.newArray();
      level.add(deepest);
      deepest = level.build();
    }
    TrustedClaimTrees.ObjectBuilder top = TREES.newObject();
    top.put("deep", deepest);
    Map<String, Object> claims = top.build();

    assertThat(tokenWith(Map.copyOf(claims)).claims()).isEqualTo(claims);
  }

  @Test
  void builder_reportsADuplicateName() {
    TrustedClaimTrees.ObjectBuilder claims = TREES.newObject();

    assertThat(claims.put("sub", "a")).isTrue();
    assertThat(claims.put("sub", "b")).isFalse();
  }

  @Test
  void builder_cannotBeUsed_afterItBuilt() {
    TrustedClaimTrees.ObjectBuilder claims = TREES.newObject();
    claims.build();

    assertThatIllegalStateException().isThrownBy(() -> claims.put("sub", "a"));
  }

  @Test
  void register_refusesASecondImplementation() {
    assertThatIllegalStateException().isThrownBy(() -> TrustedClaimTrees.register(TREES));
  }
}
