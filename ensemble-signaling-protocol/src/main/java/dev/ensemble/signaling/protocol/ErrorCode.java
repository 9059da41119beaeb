package dev.ensemble.signaling.protocol;

import java.util.Optional;

/**
 * The stable codes of {@code error} messages. The string {@link #code()} is the wire value and never
 * changes; the readable message next to it may.
 *
 * <p>Whether the server closes the connection after an error is part of the protocol and is given
 * by {@link #closesConnection()}.
 */
public enum ErrorCode {
    /** The message was malformed: not JSON, unknown type, missing or invalid field, bad relay frame. */
    BAD_REQUEST("bad-request", false),
    /** Handshake failed (wrong signature, message before {@code hello}), or a join was refused. */
    UNAUTHORIZED("unauthorized", false),
    /** The sender named a room it has not joined. */
    NOT_IN_ROOM("not-in-room", false),
    /** The addressed peer is not in the named room (or not connected). */
    UNKNOWN_PEER("unknown-peer", false),
    /** The sender exceeded a rate limit; the message was dropped. */
    RATE_LIMITED("rate-limited", false),
    /** The frame was larger than the server accepts; it was dropped. */
    TOO_LARGE("too-large", false),
    /** The room already holds the maximum number of peers. */
    ROOM_FULL("room-full", false),
    /** The connection is already in the maximum number of rooms. */
    TOO_MANY_ROOMS("too-many-rooms", false),
    /** The handshake did not complete in time; the connection is closed. */
    HANDSHAKE_TIMEOUT("handshake-timeout", true),
    /** A newer connection with the same identity replaced this one; the connection is closed. */
    REPLACED("replaced", true),
    /** The server is shutting down; the connection is closed. Reconnect later, possibly elsewhere. */
    SHUTTING_DOWN("shutting-down", true);

    private final String code;
    private final boolean closesConnection;

    ErrorCode(String code, boolean closesConnection) {
        this.code = code;
        this.closesConnection = closesConnection;
    }

    /** The wire value, for example {@code "bad-request"}. */
    public String code() {
        return code;
    }

    /**
     * Whether an error with this code is always followed by the server closing the connection. Errors
     * sent before the handshake completes, and a flood past the disconnect threshold, also close it
     * (see {@code docs/PROTOCOL.md}).
     */
    public boolean closesConnection() {
        return closesConnection;
    }

    /** The code with this wire value, or empty for a code this version does not know. */
    public static Optional<ErrorCode> fromCode(String code) {
        for (ErrorCode candidate : values()) {
            if (candidate.code.equals(code)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
