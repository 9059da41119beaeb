package dev.ensemble.collab.sim;

import dev.ensemble.transport.PeerId;
import java.util.Locale;

/**
 * One entry of a {@link NetworkSimulator}'s trace: what happened, when (virtual time), between
 * which peers. Two runs with the same seed and the same script produce equal traces, so a trace
 * is both a debugging aid and a determinism check.
 *
 * @param timeNanos virtual time since the simulation began, in nanoseconds
 * @param type what happened
 * @param from the sending (or acting) peer, or {@code null} when there is none
 * @param to the receiving (or affected) peer, or {@code null} when there is none
 * @param size the message size in bytes, or 0 for events that carry no message
 * @param detail a short explanation, e.g. why a send was rejected; empty if none
 */
public record TraceEvent(long timeNanos, Type type, PeerId from, PeerId to, int size, String detail) {

    /** What a trace entry records. */
    public enum Type {
        /** A message was accepted by {@code send}. */
        SENT,
        /** {@code send} returned {@code false}; the detail says why. */
        REJECTED,
        /** A message was lost by the link's loss rate. */
        LOST,
        /** A message was scheduled for a second delivery by the link's duplication rate. */
        DUPLICATED,
        /** A message was dropped because a partition separates the peers. */
        DROPPED_BY_PARTITION,
        /**
         * A message was dropped because its link went down (offline, closed): in flight, or sent
         * before the sender was told ("at send").
         */
        DROPPED_BY_LINK_DOWN,
        /** A message was handed to the receiver's listener. */
        DELIVERED,
        /** A peer's listener was told another peer connected. */
        CONNECTED,
        /** A peer's listener was told another peer disconnected. */
        DISCONNECTED,
        /** A partition was added. */
        PARTITIONED,
        /** Every partition was removed. */
        HEALED,
        /** A peer went offline. */
        OFFLINE,
        /** A peer came back online. */
        ONLINE
    }

    /** Renders the entry as one log line, e.g. {@code "t=12.500ms DELIVERED a -> b 120 B"}. */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "t=%.3fms %s%s%s%s%s",
                timeNanos / 1e6,
                type,
                from == null ? "" : " " + from,
                to == null ? "" : " -> " + to,
                size == 0 ? "" : " " + size + " B",
                detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
