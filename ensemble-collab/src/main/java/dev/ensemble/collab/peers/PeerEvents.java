package dev.ensemble.collab.peers;

import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.transport.PeerId;

/**
 * Names and payloads of the events a {@link PeerMessagingActor} emits.
 */
public final class PeerEvents {
    /** A peer became reachable; payload: its {@link PeerId}. */
    public static final String PEER_JOINED = "peer-joined";
    /** A peer is no longer reachable on any transport; payload: its {@link PeerId}. */
    public static final String PEER_LEFT = "peer-left";
    /** The transport used for a peer changed; payload: a {@link TransportChanged}. */
    public static final String TRANSPORT_CHANGED = "transport-changed";
    /** Something a peer sent was dropped, or could not be sent; payload: a {@link PeerError}. */
    public static final String ERROR = "peer-error";
    /** An ephemeral envelope arrived; payload: a {@link Received}. */
    public static final String EPHEMERAL = "ephemeral";

    private PeerEvents() {}

    /**
     * @param documentId a document id
     * @return the name of the event that carries that document's sync and snapshot envelopes;
     *     payload: a {@link Received}
     */
    public static String document(String documentId) {
        return "document:" + documentId;
    }

    /**
     * An envelope that arrived, reassembled if it came in chunks.
     *
     * @param from the sending peer
     * @param envelope what it sent
     */
    public record Received(PeerId from, Envelope envelope) {}

    /**
     * A peer's transport changed.
     *
     * @param peer the peer
     * @param from the previous transport's name, or null if it was unreachable
     * @param to the new transport's name, or null if it is now unreachable
     */
    public record TransportChanged(PeerId peer, String from, String to) {}

    /**
     * Input from a peer that was dropped, or output that could not be delivered.
     *
     * @param peer the peer concerned
     * @param documentId the document concerned, or null if it could not be told
     * @param message what went wrong
     */
    public record PeerError(PeerId peer, String documentId, String message) {}
}
