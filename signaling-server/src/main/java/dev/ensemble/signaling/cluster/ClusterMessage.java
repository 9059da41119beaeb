package dev.ensemble.signaling.cluster;

import dev.ensemble.transport.PeerId;
import java.util.List;
import java.util.Objects;

/**
 * INTERNAL API. What one node tells the others on a Redis channel. Every message names the node it
 * speaks for ({@link #node()}); {@link ClusterCodec} writes it as bytes.
 *
 * <p>Immutable values (a frame's bytes are not copied: the sender hands them over).
 */
public sealed interface ClusterMessage {

    /** The node this message speaks for: its sender, or the dead node a reaper speaks for. */
    String node();

    /** Published on a room's channel: {@code peer}, held by {@code node}, joined {@code room}. */
    record PeerJoined(String node, String room, PeerId peer) implements ClusterMessage {
        public PeerJoined {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** Published on a room's channel: {@code peer}, held by {@code node}, left {@code room} (or its node died). */
    record PeerLeft(String node, String room, PeerId peer) implements ClusterMessage {
        public PeerLeft {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(peer, "peer");
        }
    }

    /**
     * Published on a room's channel after Redis came back: these are all of {@code node}'s peers in
     * {@code room} (possibly none); receivers replace what they knew of that node in that room.
     */
    record Roster(String node, String room, List<PeerId> peers) implements ClusterMessage {
        public Roster {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(room, "room");
            peers = List.copyOf(peers);
        }
    }

    /** Published on a node's channel: deliver the server's {@code signal} message {@code json} to {@code to}. */
    record RelayedSignal(String node, PeerId to, String json) implements ClusterMessage {
        public RelayedSignal {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(json, "json");
        }
    }

    /** Published on a node's channel: deliver the relay frame {@code frame}, unchanged, to {@code to}. */
    record RelayedFrame(String node, PeerId to, byte[] frame) implements ClusterMessage {
        public RelayedFrame {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** Published on a node's channel: a newer connection of {@code peer} on {@code node} replaces yours. */
    record Replaced(String node, PeerId peer) implements ClusterMessage {
        public Replaced {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(peer, "peer");
        }
    }
}
