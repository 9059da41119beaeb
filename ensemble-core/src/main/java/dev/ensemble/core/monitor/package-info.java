/** Observing every message and status change in an actor system. */
package dev.ensemble.core.monitor;
