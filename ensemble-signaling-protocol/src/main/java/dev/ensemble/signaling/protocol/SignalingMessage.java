package dev.ensemble.signaling.protocol;

/**
 * A JSON control message of the signaling protocol: either sent by a peer ({@link ClientMessage}) or by
 * the server ({@link ServerMessage}). Every message is one WebSocket text frame holding one JSON
 * object with a {@code "type"} field; {@link SignalingCodec} converts between the two.
 *
 * <p>All implementations are immutable records.
 */
public sealed interface SignalingMessage permits ClientMessage, ServerMessage {

    /** The wire value of the {@code "type"} field, for example {@code "join"}. */
    String type();
}
