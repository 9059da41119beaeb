package dev.ensemble.signaling.cluster;

import dev.ensemble.transport.PeerId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * INTERNAL API. This node's copy of the membership of the rooms it follows (those with at least one
 * local peer, or being joined): for each room, each member and the node that holds it. Redis holds
 * the shared truth; this copy lets the room thread answer "who is in the room" and "where is this
 * peer" without waiting on Redis.
 *
 * <p>Owned by the room thread: not thread-safe, never touched elsewhere.
 */
final class ClusterRoster {

    /** What {@link #put} changed. */
    enum Change {
        NONE,
        ADDED,
        /** The peer was there, held by another node: a newer connection replaced it. */
        MOVED
    }

    private final String self;
    /** Room to (member to node), members in join order. */
    private final Map<String, Map<PeerId, String>> rooms = new HashMap<>();
    /** Peer to the node holding it, with the number of followed rooms it is in. */
    private final Map<PeerId, String> nodes = new HashMap<>();

    private final Map<PeerId, Integer> memberships = new HashMap<>();
    private int size;

    ClusterRoster(String self) {
        this.self = self;
    }

    boolean follows(String room) {
        return rooms.containsKey(room);
    }

    /** Starts following {@code room} (empty until members are put). */
    void follow(String room) {
        rooms.computeIfAbsent(room, ignored -> new LinkedHashMap<>());
    }

    /** Stops following {@code room}, forgetting its members. */
    void drop(String room) {
        Map<PeerId, String> members = rooms.remove(room);
        if (members != null) {
            for (PeerId peer : members.keySet()) {
                forget(peer);
            }
        }
    }

    Set<String> rooms() {
        return Collections.unmodifiableSet(rooms.keySet());
    }

    /** Members of {@code room} in join order (read-only view; empty if not followed). */
    Set<PeerId> members(String room) {
        Map<PeerId, String> members = rooms.get(room);
        return members == null ? Set.of() : Collections.unmodifiableSet(members.keySet());
    }

    /** The node of a member of a followed room, or null. */
    String nodeOf(PeerId peer) {
        return nodes.get(peer);
    }

    /** Members of {@code room} held by {@code node}. */
    List<PeerId> membersOn(String room, String node) {
        List<PeerId> held = new ArrayList<>();
        Map<PeerId, String> members = rooms.get(room);
        if (members != null) {
            members.forEach((peer, holder) -> {
                if (holder.equals(node)) {
                    held.add(peer);
                }
            });
        }
        return held;
    }

    List<PeerId> localMembers(String room) {
        return membersOn(room, self);
    }

    /** Records {@code peer} in {@code room} on {@code node}; follows the room if needed. */
    Change put(String room, PeerId peer, String node) {
        Map<PeerId, String> members = rooms.computeIfAbsent(room, ignored -> new LinkedHashMap<>());
        String previous = members.put(peer, node);
        nodes.put(peer, node);
        if (previous == null) {
            memberships.merge(peer, 1, Integer::sum);
            size++;
            return Change.ADDED;
        }
        return previous.equals(node) ? Change.NONE : Change.MOVED;
    }

    /** Removes {@code peer} from {@code room} if {@code node} holds it there; true if removed. */
    boolean remove(String room, PeerId peer, String node) {
        Map<PeerId, String> members = rooms.get(room);
        if (members == null || !node.equals(members.get(peer))) {
            return false;
        }
        members.remove(peer);
        forget(peer);
        return true;
    }

    /** Membership entries over all followed rooms. */
    int size() {
        return size;
    }

    /** Followed rooms with at least one member. */
    int roomCount() {
        int count = 0;
        for (Map<PeerId, String> members : rooms.values()) {
            if (!members.isEmpty()) {
                count++;
            }
        }
        return count;
    }

    private void forget(PeerId peer) {
        size--;
        if (memberships.merge(peer, -1, Integer::sum) <= 0) {
            memberships.remove(peer);
            nodes.remove(peer);
        }
    }
}
