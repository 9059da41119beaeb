/**
 * Actors, their clients and the system that wires them: the public API of Ensemble's runtime.
 *
 * <p>Start with {@link dev.ensemble.core.Actor}, {@link dev.ensemble.core.ActorClient} and
 * {@link dev.ensemble.core.ActorSystem}.
 */
package dev.ensemble.core;
