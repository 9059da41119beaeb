/**
 * What the project's tests share, one copy each. The library modules depend on this module in
 * test scope only.
 *
 * <ul>
 *   <li>{@link dev.ensemble.testkit.Await}: waits on a condition with a deadline, the only way the
 *       tests wait.
 *   <li>{@link dev.ensemble.testkit.net}: whether WebRTC can connect here (the network
 *       namespace), and free ports.
 *   <li>{@link dev.ensemble.testkit.process}: child processes, JVMs of the test class path among
 *       them, with their output in files of the test directory.
 *   <li>{@link dev.ensemble.testkit.transport}: the transport contract test, a recording listener
 *       and repeatable test peers.
 * </ul>
 */
package dev.ensemble.testkit;
