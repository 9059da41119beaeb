package dev.ensemble.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.transport.PeerId;
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
}
