/**
 * Processes a test starts: {@link dev.ensemble.testkit.process.JavaCommand} (a main class of the
 * test class path in a JVM of its own) and {@link dev.ensemble.testkit.process.ChildProcess}
 * (any program, its output in files of the test directory, awaited, terminated, killed), and
 * {@link dev.ensemble.testkit.process.RedisServer} (a private {@code redis-server} on a free port).
 */
package dev.ensemble.testkit.process;
