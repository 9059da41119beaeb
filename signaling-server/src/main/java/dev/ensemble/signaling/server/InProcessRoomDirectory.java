package dev.ensemble.signaling.server;

import dev.ensemble.transport.PeerId;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Rooms in a plain map. Owned by the room thread: not thread-safe, never touched elsewhere. */
final class InProcessRoomDirectory implements RoomDirectory {

    private final Map<String, Set<PeerId>> rooms = new HashMap<>();

    @Override
    public void prepare(String room, Runnable ready) {
        ready.run();
    }

    @Override
    public void refresh(String room, Runnable ready) {
        ready.run();
    }

    @Override
    public Set<PeerId> members(String room) {
        Set<PeerId> members = rooms.get(room);
        return members == null ? Set.of() : Collections.unmodifiableSet(members);
    }

    @Override
    public boolean add(String room, PeerId peer) {
        return rooms.computeIfAbsent(room, ignored -> new LinkedHashSet<>()).add(peer);
    }

    @Override
    public boolean remove(String room, PeerId peer) {
        Set<PeerId> members = rooms.get(room);
        if (members == null || !members.remove(peer)) {
            return false;
        }
        if (members.isEmpty()) {
            rooms.remove(room);
        }
        return true;
    }

    @Override
    public int roomCount() {
        return rooms.size();
    }
}
