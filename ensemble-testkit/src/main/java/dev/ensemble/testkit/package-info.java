/**
 * What the project's tests share, one copy each: {@link dev.ensemble.testkit.Await} (condition
 * waits with deadlines). The library modules depend on this module in test scope only.
 */
package dev.ensemble.testkit;
