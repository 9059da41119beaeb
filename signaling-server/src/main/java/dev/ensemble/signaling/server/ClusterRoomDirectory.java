package dev.ensemble.signaling.server;

import dev.ensemble.signaling.cluster.ClusterNode;
import dev.ensemble.transport.PeerId;
import java.util.Set;

/**
 * Rooms shared by the nodes of a cluster: the node's copy of each followed room's membership, kept
 * current through Redis.
 *
 * <p>Owned by the room thread: not thread-safe, never touched elsewhere.
 */
final class ClusterRoomDirectory implements RoomDirectory {

    private final ClusterNode node;

    ClusterRoomDirectory(ClusterNode node) {
        this.node = node;
    }

    @Override
    public void prepare(String room, Runnable ready) {
        node.prepare(room, ready);
    }

    @Override
    public void refresh(String room, Runnable ready) {
        node.refresh(room, ready);
    }

    @Override
    public Set<PeerId> members(String room) {
        return node.members(room);
    }

    @Override
    public boolean add(String room, PeerId peer) {
        boolean added = !node.members(room).contains(peer);
        node.joined(room, peer);
        return added;
    }

    @Override
    public boolean remove(String room, PeerId peer) {
        return node.left(room, peer);
    }

    @Override
    public int roomCount() {
        return node.roomCount();
    }
}
