package dev.ensemble.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.membership.Revocation;
import java.util.Objects;

/**
 * A control message a peer sends to the signaling server.
 *
 * <pre>{@code
 * String frame = SignalingCodec.encode(new ClientMessage.Join("piano-lobby", null));
 * }</pre>
 */
public sealed interface ClientMessage extends SignalingMessage {

    /**
     * Answers the server's {@code challenge}: proves ownership of {@code peerId}.
     *
     * @param peerId    the identity the peer claims
     * @param signature base64 of the Ed25519 signature of {@link Handshake#signedBytes(String)}
     */
    record Hello(PeerId peerId, String signature) implements ClientMessage {
        /** Wire type. */
        public static final String TYPE = "hello";

        /** Checks that no field is null. */
        public Hello {
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(signature, "signature");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Asks to join a room.
     *
     * @param room  the room name (see {@link RoomName})
     * @param token a signed join token, or null when the server does not require one
     */
    record Join(String room, String token) implements ClientMessage {
        /** Wire type. */
        public static final String TYPE = "join";

        /** Checks that the room is present. */
        public Join {
            Objects.requireNonNull(room, "room");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Leaves a room.
     *
     * @param room the room name
     */
    record Leave(String room) implements ClientMessage {
        /** Wire type. */
        public static final String TYPE = "leave";

        /** Checks that the room is present. */
        public Leave {
            Objects.requireNonNull(room, "room");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Asks the server to deliver {@code data} (an SDP offer or answer, an ICE candidate, ...) to
     * {@code to}, a peer in {@code room}. The receiver gets a {@link ServerMessage.RelayedSignal}.
     *
     * @param room the room both peers are in
     * @param to   the addressee
     * @param data a JSON object, opaque to the server; treat it as read-only
     */
    record Signal(String room, PeerId to, JsonNode data) implements ClientMessage {
        /** Wire type. */
        public static final String TYPE = "signal";

        /** Checks that no field is null and that {@code data} is a JSON object. */
        public Signal {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(data, "data");
            if (!data.isObject()) {
                throw new IllegalArgumentException("signal data must be a JSON object but is " + data.getNodeType());
            }
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Passes on to the server a revocation signed by the owner of a closed room, so that the server, too,
     * keeps the revoked member or invite out (and removes the peers it now refuses from the room). The
     * sender must be in {@code room}. The server answers nothing when it takes the revocation, knew it
     * already or keeps no revocations for the room, and an {@code error} when it refuses it (see {@code
     * docs/PROTOCOL.md}).
     *
     * @param room the room the sender is in (and which the revocation is for)
     * @param revocation the revocation's text form, {@code ensemble-revocation:} and base64url ({@link
     *     Revocation#toText()}), at most {@link #MAX_REVOCATION_CHARS} characters; the server checks the rest
     */
    record Revoke(String room, String revocation) implements ClientMessage {
        /** Wire type. */
        public static final String TYPE = "revoke";

        /**
         * The longest {@code revocation} field: the text form of the largest revocation ({@value
         * Revocation#TEXT_PREFIX} and base64url without padding of {@link Revocation#MAX_BYTES} bytes).
         */
        public static final int MAX_REVOCATION_CHARS =
                Revocation.TEXT_PREFIX.length() + (Revocation.MAX_BYTES * 4 + 2) / 3;

        /**
         * Checks that no field is null and that {@code revocation} has the text form's prefix and is not
         * longer than {@link #MAX_REVOCATION_CHARS}.
         *
         * @throws IllegalArgumentException naming the field, the rule and the value seen
         */
        public Revoke {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(revocation, "revocation");
            if (revocation.length() > MAX_REVOCATION_CHARS) {
                // Checked before anything reads it, so that a hostile frame costs no decoding.
                throw new IllegalArgumentException("field \"revocation\" must be at most " + MAX_REVOCATION_CHARS
                        + " characters but has " + revocation.length());
            }
            if (!revocation.startsWith(Revocation.TEXT_PREFIX)) {
                throw new IllegalArgumentException("field \"revocation\" must be a revocation's text form, starting"
                        + " with '" + Revocation.TEXT_PREFIX + "', but is " + SignalingCodec.quote(revocation));
            }
        }

        @Override
        public String type() {
            return TYPE;
        }
    }
}
