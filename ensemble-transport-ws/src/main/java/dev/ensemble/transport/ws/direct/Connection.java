package dev.ensemble.transport.ws.direct;

import dev.ensemble.transport.PeerId;
import java.net.InetAddress;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;

/**
 * INTERNAL API. One WebSocket connection of a {@link DirectTransport}, accepted or dialed, and the
 * state of its handshake. The final fields are set at creation; the rest belong to the transport's
 * owner thread, except {@link #rearmPending}, which senders set.
 */
final class Connection {

    enum State {
        /** The socket is not open yet (dialing). */
        CONNECTING,
        /** Our hello is sent; waiting for the peer's. */
        HELLO_SENT,
        /** Our proof is sent; waiting for the peer's. */
        PROOF_SENT,
        /** The peer is verified; frames are data. */
        ESTABLISHED,
        /** Closed, refused or replaced: further events are ignored. */
        CLOSED
    }

    /** The socket; for a dialed connection the client itself. */
    final WebSocket socket;
    /** The dial this connection is an attempt of, or null for an accepted connection. */
    final DialState dial;
    /** Where this connection came from or goes to, for messages. */
    final String where;
    /** The IP address an accepted connection came from; null for a dialed one (or if unknown). */
    final InetAddress address;

    /** Set by a sender when it asked for a look at a stuck write; see DirectTransport#rearmLater. */
    final AtomicBoolean rearmPending = new AtomicBoolean();

    // Owner thread only.
    State state = State.CONNECTING;
    byte[] nonce;
    PeerId peer;
    byte[] transcriptBody;
    Future<?> timer;
    boolean countedPending;
    /** Set when this side refused or replaced the connection, so its close is not reported again. */
    boolean ended;

    Connection(WebSocket socket, DialState dial, String where, InetAddress address) {
        this.socket = socket;
        this.dial = dial;
        this.where = where;
        this.address = address;
    }

    boolean dialed() {
        return dial != null;
    }

    /** The library's connection, whose out-queue holds frames not yet written; null before it exists. */
    WebSocketImpl impl() {
        if (socket instanceof WebSocketImpl impl) {
            return impl;
        }
        if (socket instanceof DirectClient client && client.getConnection() instanceof WebSocketImpl impl) {
            return impl;
        }
        return null;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public String toString() {
        return (dialed() ? "dialed " : "accepted ") + where + (peer == null ? "" : " (" + peer.shortForm() + ")");
    }
}
