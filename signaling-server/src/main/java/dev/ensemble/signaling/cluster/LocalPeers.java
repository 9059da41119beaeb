package dev.ensemble.signaling.cluster;

import dev.ensemble.transport.PeerId;

/**
 * INTERNAL API. What a {@link ClusterNode} asks of the server it runs in, when another node's message
 * concerns this node's peers.
 *
 * <p>Threading: every method is called on the server's room thread (the node hands Lettuce's
 * callbacks over to it first), so an implementation touches room state directly.
 */
public interface LocalPeers {

    /** {@code peer}, held by another node, joined {@code room}: tell this node's members of the room. */
    void remoteJoined(String room, PeerId peer);

    /** {@code peer}, held by another node, left {@code room} (or its node died): tell this node's members. */
    void remoteLeft(String room, PeerId peer);

    /** Send the encoded server message {@code json} (a relayed {@code signal}) to the local peer {@code to}. */
    void deliverSignal(PeerId to, String json);

    /** Send the relay frame {@code frame}, unchanged, to the local peer {@code to}. */
    void deliverFrame(PeerId to, byte[] frame);

    /** A newer connection of {@code peer} on another node replaces the one here: close it with {@code replaced}. */
    void replacedElsewhere(PeerId peer);
}
