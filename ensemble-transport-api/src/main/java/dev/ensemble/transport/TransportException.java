package dev.ensemble.transport;

import java.util.Objects;
import java.util.Optional;

/**
 * A failure inside a transport that its listener should know about: a connection that failed, a
 * server that refused, a peer that misbehaved, a library error. Transports wrap the exceptions of
 * the libraries they use in this type, so that the layer above sees one type whose {@link
 * #reason()} it can switch on, the room and peer it concerns where there are ones, and a readable
 * message (the rule, the value seen, what to do).
 *
 * <p>Reported through {@link TransportListener#onError(TransportException)}; never thrown from
 * {@link Transport#send(PeerId, byte[])}. The transport keeps running after reporting it.
 *
 * <pre>{@code
 * @Override public void onError(TransportException error) {
 *   switch (error.reason()) {
 *     case ROOM_FULL -> ui.tell("room " + error.room().orElse("?") + " is full");
 *     case CONNECT_FAILED -> ui.tell("cannot reach the server: " + error.getMessage());
 *     default -> log.warn("{}", error.toString());
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #getMessage()} is the message alone; {@link #toString()} adds the reason, room and peer.
 * Immutable.
 */
public class TransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * What kind of failure it is: what a caller can act on. The first group comes from the
     * transport itself, the second from a server that refused something (the signaling server's
     * error codes, see {@code docs/PROTOCOL.md}).
     */
    public enum Reason {
        /** No connection could be opened: the server is unreachable, refused, or did not answer in time. */
        CONNECT_FAILED,
        /**
         * A connection opened, but proving the identity or joining the room did not complete (a
         * timeout, a server that answered for another identity).
         */
        HANDSHAKE_FAILED,
        /** An established connection ended (closed by either side, or dropped); the transport reconnects. */
        CONNECTION_LOST,
        /** No direct connection to a peer could form or stay up (ICE failed, no TURN server, timeout). */
        PEER_UNREACHABLE,
        /** The other side sent something malformed or out of order, or rejected what this side sent as such. */
        PROTOCOL_ERROR,
        /** The network library failed (a native call, a callback that threw). */
        LIBRARY_ERROR,
        /** A bug in the transport itself; it keeps running. */
        INTERNAL_ERROR,
        /**
         * A frame or session handshake from a peer failed authentication (altered, forged or replayed on
         * the way, typically by the relay); it was dropped and never delivered. See docs/SECURITY.md.
         */
        AUTHENTICATION_FAILED,
        /** A peer sent an unencrypted frame to a transport that requires encrypted sessions; it was dropped. */
        ENCRYPTION_REQUIRED,
        /**
         * A peer of a closed room presented no valid invite, or its membership was revoked or expired: its
         * frames are dropped and never delivered. See docs/SECURITY.md, "Closed rooms".
         */
        NOT_A_MEMBER,

        /** The server refused this identity or this join: a bad signature, join token or authorizer. */
        UNAUTHORIZED,
        /** The room holds the most peers the server allows. */
        ROOM_FULL,
        /** The connection is in the most rooms the server allows. */
        TOO_MANY_ROOMS,
        /** What was sent names a room this peer has not joined. */
        NOT_IN_ROOM,
        /** What was sent is addressed to a peer that is not in the room (any longer). */
        UNKNOWN_PEER,
        /** The server dropped what was sent because this peer sends too fast. */
        RATE_LIMITED,
        /** A message or frame was larger than the receiver accepts; it was dropped. */
        TOO_LARGE,
        /** Another connection with this identity replaced this one; the transport does not reconnect. */
        REPLACED,
        /** The server is shutting down; the transport reconnects later. */
        SERVER_SHUTTING_DOWN,
        /** The server reported an error this version does not know; the message names its code. */
        SERVER_ERROR
    }

    private final Reason reason;
    private final String room;
    private final transient PeerId peer;

    /**
     * Creates an error that concerns the transport as a whole.
     *
     * @param reason what kind of failure it is
     * @param message what went wrong, naming the rule and the value seen, and what to do
     * @param cause the underlying failure, or {@code null}
     */
    public TransportException(Reason reason, String message, Throwable cause) {
        this(reason, null, null, message, cause);
    }

    /**
     * Creates an error that concerns a room, a peer, both or neither.
     *
     * @param reason what kind of failure it is
     * @param room the room it concerns, or {@code null}
     * @param peer the peer it concerns, or {@code null}
     * @param message what went wrong, naming the rule and the value seen, and what to do
     * @param cause the underlying failure, or {@code null}
     */
    public TransportException(Reason reason, String room, PeerId peer, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.room = room;
        this.peer = peer;
    }

    /**
     * Returns what kind of failure this is.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Returns the room this error concerns.
     *
     * @return the room, or empty when it concerns no room in particular
     */
    public Optional<String> room() {
        return Optional.ofNullable(room);
    }

    /**
     * Returns the peer this error concerns.
     *
     * @return the peer, or empty when it concerns no peer in particular
     */
    public Optional<PeerId> peer() {
        return Optional.ofNullable(peer);
    }

    /** The reason, room and peer (in short form), then the message. */
    @Override
    public String toString() {
        return "TransportException[" + reason + (room == null ? "" : ", room " + room)
                + (peer == null ? "" : ", peer " + peer.shortForm()) + "]: " + getMessage();
    }
}
