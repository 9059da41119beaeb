/**
 * INTERNAL API. Several signaling servers acting as one over Redis: membership of rooms in Redis
 * hashes, room events on a pub/sub channel per room, frames for a peer on the pub/sub channel of
 * the node that holds it, a liveness key per node. {@link dev.ensemble.signaling.cluster.ClusterNode}
 * is the entry point; the server uses it only when started with {@code --redis}. The design and the
 * wire format of the channel messages are described in {@code docs/DEPLOYMENT.md}.
 */
package dev.ensemble.signaling.cluster;
