package dev.ensemble.signaling.server;

import java.time.Instant;
import java.util.List;

/**
 * A copy of this server's rooms and connections, taken on the room thread for the inspection namespace
 * ({@link SignalingInspection}). Immutable; holds no secret (no nonce, token or invite).
 *
 * @param rooms the rooms this node's connections are in, by name
 * @param connections every open connection of this node, verified or not, in the order they opened
 */
record InspectionSnapshot(List<RoomView> rooms, List<ConnectionView> connections) {

    /**
     * One room as this node sees it.
     *
     * @param name the room's name
     * @param closed whether it is a closed room (joined with an invite)
     * @param peers its members connected to this node
     * @param elsewhere did:keys of its members connected to other nodes of the cluster
     */
    record RoomView(String name, boolean closed, List<PeerView> peers, List<String> elsewhere) {}

    /**
     * One member of a room, connected to this node.
     *
     * @param identity its verified did:key
     * @param connection the number of its connection (see {@code /connections})
     * @param connectedSince when its connection opened
     * @param joinedAt when it joined the room
     * @param framesRelayed relay frames it sent into the room (and the server passed on)
     * @param bytesRelayed their bytes
     */
    record PeerView(
            String identity,
            int connection,
            Instant connectedSince,
            Instant joinedAt,
            long framesRelayed,
            long bytesRelayed) {}

    /**
     * One WebSocket connection.
     *
     * @param id its number, unique in this process
     * @param remoteAddress where it comes from
     * @param identity its verified did:key, or null before the handshake
     * @param rooms the rooms it is in, in join order
     * @param since when it opened
     * @param closing whether the server is closing it
     */
    record ConnectionView(
            int id, String remoteAddress, String identity, List<String> rooms, Instant since, boolean closing) {}
}
