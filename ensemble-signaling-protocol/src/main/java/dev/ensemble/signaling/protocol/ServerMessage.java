package dev.ensemble.signaling.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.PeerId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A control message the signaling server sends to a peer.
 *
 * <pre>{@code
 * ServerMessage message = SignalingCodec.decodeServerMessage(frame);
 * if (message instanceof ServerMessage.PeerJoined joined) {
 *     connectTo(joined.room(), joined.peerId());
 * }
 * }</pre>
 */
public sealed interface ServerMessage extends SignalingMessage {

    /**
     * First message on every connection: the nonce the peer must sign in its {@code hello}.
     *
     * @param nonce base64 of {@link Handshake#NONCE_BYTES} random bytes
     */
    record Challenge(String nonce) implements ServerMessage {
        /** Wire type. */
        public static final String TYPE = "challenge";

        /** Checks that the nonce is present. */
        public Challenge {
            Objects.requireNonNull(nonce, "nonce");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * The handshake succeeded.
     *
     * @param peerId        the verified identity of this connection
     * @param iceServers    STUN/TURN servers for WebRTC, TURN credentials issued for this peer
     * @param maxFrameBytes the largest frame the server accepts, so that a client can keep within it
     *                      (a larger one is dropped with {@code too-large}, and one over four times it
     *                      costs the connection); empty from a server that does not announce it
     */
    record Welcome(PeerId peerId, List<IceServer> iceServers, OptionalInt maxFrameBytes) implements ServerMessage {
        /** Wire type. */
        public static final String TYPE = "welcome";

        /** Checks and copies. */
        public Welcome {
            Objects.requireNonNull(peerId, "peerId");
            iceServers = List.copyOf(iceServers);
            Objects.requireNonNull(maxFrameBytes, "maxFrameBytes");
            if (maxFrameBytes.isPresent() && maxFrameBytes.getAsInt() < 1) {
                throw new IllegalArgumentException("maxFrameBytes must be positive but is " + maxFrameBytes.getAsInt());
            }
        }

        /** A welcome that does not announce the frame limit. */
        public Welcome(PeerId peerId, List<IceServer> iceServers) {
            this(peerId, iceServers, OptionalInt.empty());
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * The peer is now in {@code room}; {@code peers} are the other members, in no particular order.
     *
     * @param room  the room joined
     * @param peers the other peers already in the room (never the receiver itself)
     */
    record Joined(String room, List<PeerId> peers) implements ServerMessage {
        /** Wire type. */
        public static final String TYPE = "joined";

        /** Checks and copies. */
        public Joined {
            Objects.requireNonNull(room, "room");
            peers = List.copyOf(peers);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * The peer has left {@code room}, in answer to its {@code leave}.
     *
     * @param room the room left
     */
    record Left(String room) implements ServerMessage {
        /** Wire type. */
        public static final String TYPE = "left";

        /** Checks that the room is present. */
        public Left {
            Objects.requireNonNull(room, "room");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Another peer entered a room the receiver is in.
     *
     * @param room   the shared room
     * @param peerId the newcomer
     */
    record PeerJoined(String room, PeerId peerId) implements ServerMessage {
        /** Wire type. */
        public static final String TYPE = "peer-joined";

        /** Checks that no field is null. */
        public PeerJoined {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(peerId, "peerId");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Another peer left a room the receiver is in: it sent {@code leave}, its connection dropped, or a
     * newer connection of the same identity replaced it.
     *
     * @param room   the shared room
     * @param peerId the peer that left
     */
    record PeerLeft(String room, PeerId peerId) implements ServerMessage {
        /** Wire type. */
        public static final String TYPE = "peer-left";

        /** Checks that no field is null. */
        public PeerLeft {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(peerId, "peerId");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A signal from another peer of {@code room} (wire type {@code "signal"}, with {@code from} where the
     * sender's message had {@code to}).
     *
     * @param room the shared room
     * @param from the sender, as verified by the server
     * @param data the JSON object the sender passed; treat it as read-only
     */
    record RelayedSignal(String room, PeerId from, JsonNode data) implements ServerMessage {
        /** Wire type. */
        public static final String TYPE = "signal";

        /** Checks that no field is null and that {@code data} is a JSON object. */
        public RelayedSignal {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(from, "from");
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
     * Something went wrong. {@code code} is stable (see {@link ErrorCode}); {@code message} is for humans;
     * {@code room} and {@code peerId}, when present, say which room and which peer the error is about (for
     * {@code unknown-peer}, the addressee that is not in the room), so that a client can act on them
     * without reading the message.
     *
     * @param code    the wire value of the code; may be one this version does not know
     * @param message what was wrong and what to do
     * @param room    the room the error concerns, if any
     * @param peerId  the peer the error concerns, if any
     */
    record Error(String code, String message, Optional<String> room, Optional<PeerId> peerId) implements ServerMessage {
        /** Wire type. */
        public static final String TYPE = "error";

        /** Checks that no field is null and that a room, if present, is a valid room name. */
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(peerId, "peerId");
            room.ifPresent(name -> {
                if (!RoomName.isValid(name)) {
                    throw new IllegalArgumentException("room must be 1.." + RoomName.MAX_LENGTH
                            + " characters of A-Z a-z 0-9 . _ ~ : @ / + = - but is " + SignalingCodec.quote(name));
                }
            });
        }

        /** An error that concerns no particular room or peer. */
        public Error(String code, String message) {
            this(code, message, Optional.empty(), Optional.empty());
        }

        /** An error with a known code. */
        public static Error of(ErrorCode code, String message) {
            return new Error(code.code(), message);
        }

        /** An error with a known code about a room and, if {@code peer} is not null, a peer. */
        public static Error of(ErrorCode code, String message, String room, PeerId peer) {
            return new Error(code.code(), message, Optional.of(room), Optional.ofNullable(peer));
        }

        /** The code, if this version knows it. */
        public Optional<ErrorCode> knownCode() {
            return ErrorCode.fromCode(code);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }
}
