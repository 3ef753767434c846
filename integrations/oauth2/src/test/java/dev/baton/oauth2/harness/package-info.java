/**
 * A real Spring Authorization Server for tests and benchmarks of delegation (in the test-jar).
 */
@NullMarked
package dev.baton.oauth2.harness;

import org.jspecify.annotations.NullMarked;
