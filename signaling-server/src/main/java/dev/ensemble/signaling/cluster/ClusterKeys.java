package dev.ensemble.signaling.cluster;

import dev.ensemble.transport.PeerId;
import java.nio.charset.StandardCharsets;

/**
 * INTERNAL API. The names of the cluster's Redis keys and pub/sub channels, all under {@value #PREFIX}.
 * Keys and channels live in separate namespaces in Redis, so a room's hash and its channel share a name.
 *
 * <pre>
 * ensemble:signaling:room:ROOM          hash peer did:key → node id; channel of the room's events
 * ensemble:signaling:node:NODE          channel of frames for that node's peers
 * ensemble:signaling:node:NODE:alive    string with a short TTL, refreshed while the node runs
 * ensemble:signaling:node:NODE:rooms    set of rooms where the node has peers (for cleaning up after it)
 * ensemble:signaling:nodes              set of node ids (for finding dead ones)
 * ensemble:signaling:peer:DID           string: the node holding that identity's connection
 * </pre>
 *
 * <p>Thread-safe: stateless.
 */
final class ClusterKeys {

    static final String PREFIX = "ensemble:signaling:";

    private ClusterKeys() {}

    static byte[] room(String room) {
        return bytes(PREFIX + "room:" + room);
    }

    static byte[] node(String node) {
        return bytes(PREFIX + "node:" + node);
    }

    static byte[] alive(String node) {
        return bytes(PREFIX + "node:" + node + ":alive");
    }

    static byte[] nodeRooms(String node) {
        return bytes(PREFIX + "node:" + node + ":rooms");
    }

    static byte[] nodes() {
        return bytes(PREFIX + "nodes");
    }

    static byte[] peer(PeerId peer) {
        return bytes(PREFIX + "peer:" + peer);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
