package dev.baton.test;

import static dev.baton.test.BatonAssertions.assertThatCurrentThread;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BatonExtension.class)
@WithCaller(subject = "alice")
class WithCallerOnClassTest {

  @Test
  void classAnnotation_bindsEveryTestMethod() {
    assertThatCurrentThread().actsAs("alice");
  }

  @Test
  @WithCaller(subject = "bob")
  void methodAnnotation_winsOverTheClasses() {
    assertThatCurrentThread().actsAs("bob");
  }
}
