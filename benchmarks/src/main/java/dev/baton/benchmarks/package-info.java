/**
 * JMH benchmarks of Baton, each measured beside the peer it is compared against.
 *
 * <ul>
 *   <li>{@link dev.baton.benchmarks.PropagationBenchmark}: what a task pays to run as its caller,
 *       in-process (executor wrapper vs a plain submit) and through the store (capture + run vs a
 *       bare {@code ThreadLocal} set/get/remove);
 *   <li>{@link dev.baton.benchmarks.CodecBenchmark}: the JSON and sealing codecs vs Jackson data
 *       binding of the same data as a map;
 *   <li>{@link dev.baton.benchmarks.CurrentTokenBenchmark}: {@code Baton.currentToken()} inside and
 *       outside scopes vs {@code ThreadLocal.get()}.
 * </ul>
 */
package dev.baton.benchmarks;
