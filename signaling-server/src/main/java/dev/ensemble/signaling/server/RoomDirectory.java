package dev.ensemble.signaling.server;

import dev.ensemble.transport.PeerId;
import java.util.Set;

/**
 * Who is in which room. The seam for running several server instances: a shared implementation (for
 * example on Redis) would let the peers of one room sit on different instances.
 *
 * <p>Threading: called only on the server's room thread.
 */
interface RoomDirectory {

    /**
     * Runs {@code ready} on the room thread once {@link #members} of {@code room} can be trusted: at once in
     * one process; after reading the room from Redis in a cluster.
     */
    void prepare(String room, Runnable ready);

    /**
     * Runs {@code ready} on the room thread once {@link #members} of {@code room} were read again from the
     * shared truth: at once in one process; in a cluster, after reading the room from Redis (used before
     * refusing a join as {@code room-full}, since another node's leave may not have arrived yet).
     */
    void refresh(String room, Runnable ready);

    /** The members of {@code room} (a read-only view or copy; empty when the room has nobody). */
    Set<PeerId> members(String room);

    /** Adds {@code peer} to {@code room}; returns false if it was already there. */
    boolean add(String room, PeerId peer);

    /**
     * Removes {@code peer} from {@code room}, dropping the room when it empties; returns false if it was not
     * there (in a cluster: not as this node's peer, because a newer connection on another node took its place).
     */
    boolean remove(String room, PeerId peer);

    /** Number of rooms with at least one member. */
    int roomCount();
}
