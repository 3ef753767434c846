package dev.baton.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import dev.baton.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** Virtual threads (JDK 21+; built reflectively so that this compiles with --release 17). */
@EnabledForJreRange(min = JRE.JAVA_21)
@SuppressWarnings("try")
class VirtualThreadAttackTest {
  private final AccessToken alice = Adversaries.token("vt-alice-secret-jwt", "alice");
  private final AccessToken bob = Adversaries.token("vt-bob-secret-jwt", "bob");
  private final Baton baton = Baton.builder().build();

  @AfterEach
  void clean() {
    assertThat(Baton.isBound()).isFalse();
  }

  private static ExecutorService virtualPerTask() throws Exception {
    return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
        .invoke(null);
  }

  private static Thread startVirtual(Runnable r) throws Exception {
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    Class<?> builderType = Class.forName("java.lang.Thread$Builder");
    return (Thread) builderType.getMethod("start", Runnable.class).invoke(builder, r);
  }

  @Test
  void wrappedVirtualExecutor_interleavedCallers_eachSeesSelf_closeFromBoundThreadReturns()
      throws Exception {
    ExecutorService pool = baton.wrap(virtualPerTask());
    List<Future<Optional<AccessToken>>> alices = new ArrayList<>();
    List<Future<Optional<AccessToken>>> bobs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      try (Scope a = baton.bindRequest(alice)) {
        alices.add(pool.submit(Baton::currentToken));
      }
      try (Scope b = baton.bindRequest(bob)) {
        bobs.add(pool.submit(() -> {
          CompletableFuture<Optional<AccessToken>> nested =
              CompletableFuture.supplyAsync(Baton::currentToken, pool);
          return nested.get(60, TimeUnit.SECONDS);
        }));
      }
    }
    for (Future<Optional<AccessToken>> f : alices) {
      assertThat(f.get(60, TimeUnit.SECONDS)).contains(alice);
    }
    for (Future<Optional<AccessToken>> f : bobs) {
      assertThat(f.get(60, TimeUnit.SECONDS)).contains(bob);
    }
    try (Scope a = baton.bindRequest(alice)) {
      ((AutoCloseable) pool).close();
      assertThat(Baton.currentToken()).contains(alice);
    }
    assertThat(pool.isTerminated()).isTrue();
  }

  @Test
  void unwrappedVirtualThread_seesNobody_wrappedRunnableSeesCaller() throws Exception {
    AtomicReference<Optional<AccessToken>> plain = new AtomicReference<>();
    AtomicReference<Boolean> plainBound = new AtomicReference<>();
    AtomicReference<Optional<AccessToken>> wrapped = new AtomicReference<>();
    try (Scope a = baton.bindRequest(alice)) {
      Thread t1 = startVirtual(() -> {
        plain.set(Baton.currentToken());
        plainBound.set(Baton.isBound());
      });
      Thread t2 = startVirtual(Baton.currentBinding().wrapRunnable(
          () -> wrapped.set(Baton.currentToken())));
      t1.join(60_000);
      t2.join(60_000);
    }
    assertThat(plain.get()).isEmpty();
    assertThat(plainBound.get()).isFalse();
    assertThat(wrapped.get()).contains(alice);
  }

  @Test
  void scopeOpenedOnVirtualThread_closedOnAnother_isRejected_ownerCloseCleans() throws Exception {
    AtomicReference<Scope> scope = new AtomicReference<>();
    AtomicReference<Throwable> foreign = new AtomicReference<>();
    AtomicReference<Boolean> boundAfterForeign = new AtomicReference<>();
    AtomicReference<Boolean> boundAfterOwn = new AtomicReference<>();
    java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch tried = new java.util.concurrent.CountDownLatch(1);
    Thread owner = startVirtual(() -> {
      scope.set(CallerBinding.none().install());
      try (Scope a = baton.bindRequest(alice)) {
        opened.countDown();
        await(tried);
        boundAfterForeign.set(Baton.currentToken().isPresent());
      }
      scope.get().close();
      boundAfterOwn.set(Baton.isBound());
    });
    assertThat(opened.await(60, TimeUnit.SECONDS)).isTrue();
    Thread other = startVirtual(() -> {
      try {
        scope.get().close();
      } catch (Throwable e) {
        foreign.set(e);
      }
      tried.countDown();
    });
    other.join(60_000);
    owner.join(60_000);
    assertThat(foreign.get()).isInstanceOf(IllegalStateException.class);
    assertThat(boundAfterForeign.get()).isTrue();
    assertThat(boundAfterOwn.get()).isFalse();
  }

  private static void await(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
