/**
 * What happens when an actor fails, and trees of actors as data: {@link
 * dev.ensemble.core.supervision.SupervisorStrategy} (restart or stop, intensity, backoff) for every
 * actor; {@link dev.ensemble.core.supervision.SupervisorSpec}, {@link
 * dev.ensemble.core.supervision.WorkerSpec} and {@link dev.ensemble.core.supervision.PoolSpec} for
 * supervision trees with paths, restart strategies, escalation and autoscaling pools.
 */
package dev.ensemble.core.supervision;
