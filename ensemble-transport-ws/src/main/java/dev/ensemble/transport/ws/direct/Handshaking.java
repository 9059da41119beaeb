package dev.ensemble.transport.ws.direct;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException.Reason;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * INTERNAL API. The identity handshake of one connection as steps, on the frames of {@link
 * DirectHandshake}: {@link #start} when the socket opens gives our hello; {@link #onHello} checks the
 * peer's and gives our proof; {@link #onProof} checks the peer's. Each step returns what to do, so
 * that the caller alone touches sockets and listeners. Owner thread only (it writes the connection's
 * handshake fields).
 */
final class Handshaking {

    /** What a step asks the caller to do. */
    sealed interface Step permits Send, Refuse, Verified {}

    /** Send this frame to the peer; the handshake goes on. */
    record Send(byte[] frame) implements Step {}

    /** End the connection with this close code, reporting it as {@code reason} with {@code message}. */
    record Refuse(int code, Reason reason, String message) implements Step {}

    /** The peer proved its key: the connection is established. */
    record Verified() implements Step {}

    private final PeerIdentity identity;
    private final PeerId self;
    private final SecureRandom random;

    Handshaking(PeerIdentity identity, SecureRandom random) {
        this.identity = identity;
        this.self = identity.peerId();
        this.random = random;
    }

    /** The socket opened: a fresh nonce, and the hello to send. */
    byte[] start(Connection connection) {
        connection.nonce = new byte[DirectHandshake.NONCE_BYTES];
        random.nextBytes(connection.nonce);
        connection.state = Connection.State.HELLO_SENT;
        return DirectHandshake.hello(self, connection.nonce);
    }

    /** The peer's hello arrived (state {@code HELLO_SENT}). */
    Step onHello(Connection connection, byte[] bytes) {
        PeerId peer;
        try {
            peer = DirectHandshake.helloKey(bytes);
        } catch (IllegalArgumentException e) {
            return new Refuse(
                    DirectTransport.CLOSE_PROTOCOL_ERROR,
                    Reason.PROTOCOL_ERROR,
                    "the " + connection + " sent something else than a hello before the handshake: " + e.getMessage());
        }
        if (peer.equals(self)) {
            return new Refuse(
                    DirectTransport.CLOSE_WRONG_NODE,
                    Reason.HANDSHAKE_FAILED,
                    "the " + connection + " is this node itself (" + self + "); a node does not connect to itself");
        }
        Optional<PeerId> expected = connection.dialed() ? connection.dial.dial.expected() : Optional.empty();
        if (expected.isPresent() && !expected.get().equals(peer)) {
            return new Refuse(
                    DirectTransport.CLOSE_WRONG_NODE,
                    Reason.HANDSHAKE_FAILED,
                    "dialed " + connection.where + " expecting node " + expected.get() + " but node " + peer
                            + " answered there; refused");
        }
        connection.peer = peer;
        byte[] peerNonce = DirectHandshake.helloNonce(bytes);
        connection.transcriptBody = connection.dialed()
                ? DirectHandshake.transcriptBody(self, connection.nonce, peer, peerNonce)
                : DirectHandshake.transcriptBody(peer, peerNonce, self, connection.nonce);
        byte role = connection.dialed() ? DirectHandshake.ROLE_DIALER : DirectHandshake.ROLE_LISTENER;
        connection.state = Connection.State.PROOF_SENT;
        return new Send(DirectHandshake.proof(identity, role, connection.transcriptBody));
    }

    /** The peer's proof arrived (state {@code PROOF_SENT}). */
    Step onProof(Connection connection, byte[] bytes) {
        try {
            DirectHandshake.checkProof(bytes);
        } catch (IllegalArgumentException e) {
            return new Refuse(
                    DirectTransport.CLOSE_PROTOCOL_ERROR,
                    Reason.PROTOCOL_ERROR,
                    "the " + connection + " sent something else than a proof in the handshake: " + e.getMessage());
        }
        byte peerRole = connection.dialed() ? DirectHandshake.ROLE_LISTENER : DirectHandshake.ROLE_DIALER;
        if (!DirectHandshake.verify(connection.peer, peerRole, connection.transcriptBody, bytes)) {
            return new Refuse(
                    DirectTransport.CLOSE_BAD_PROOF,
                    Reason.AUTHENTICATION_FAILED,
                    "the " + connection + " claims to be " + connection.peer
                            + " but its proof does not verify with that key; refused");
        }
        return new Verified();
    }
}
