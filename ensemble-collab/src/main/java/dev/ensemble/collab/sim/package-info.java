/**
 * An in-memory {@link dev.ensemble.transport.Transport} on a deterministic network
 * simulator: seeded latency, loss, duplication, reordering, bandwidth, partitions and peers
 * going offline, all in virtual time, so that many peers can be run and checked without sockets
 * and a failure replays exactly from its seed.
 *
 * <p>Start with {@link dev.ensemble.collab.sim.NetworkSimulator}.
 */
package dev.ensemble.collab.sim;
