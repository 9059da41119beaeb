package dev.ensemble.piano.model;

import java.util.Locale;

/**
 * How a peer's messages reach this player.
 *
 * <pre>{@code
 * TransportKind shown = TransportKind.fromName("websocket");   // RELAY
 * }</pre>
 */
public enum TransportKind {
    /** The same process: the local room, or the in-memory transport of the collaboration module. */
    LOCAL,
    /** A direct WebRTC data channel. */
    WEBRTC,
    /** The signaling server's WebSocket relay. */
    RELAY,
    /** A transport this piano does not know by name. */
    OTHER;

    /**
     * Maps the name a transport reports ({@code dev.ensemble.transport.Transport.name()}, as the
     * room's roster shows it) to what the players list shows.
     *
     * @param name {@code "webrtc"}, {@code "websocket"}, {@code "memory"}, or any other name
     * @return {@link #WEBRTC}, {@link #RELAY}, {@link #LOCAL}, or {@link #OTHER} for any other name
     */
    public static TransportKind fromName(String name) {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "webrtc" -> WEBRTC;
            case "websocket" -> RELAY;
            case "memory" -> LOCAL;
            default -> OTHER;
        };
    }
}
