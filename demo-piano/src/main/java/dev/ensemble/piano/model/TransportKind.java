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

    /** What {@code dev.ensemble.transport.secure.SecureTransport} adds to the name of the transport it wraps. */
    private static final String SEALED_SUFFIX = "+sealed";

    /**
     * Maps the name a transport reports ({@code dev.ensemble.transport.Transport.name()}, as the
     * room's roster shows it) to what the players list shows.
     *
     * @param name {@code "webrtc"}, {@code "websocket"}, {@code "memory"}, or any other name; a
     *     transport sealed end to end ({@code "websocket+sealed"}) is shown as the one it wraps
     * @return {@link #WEBRTC}, {@link #RELAY}, {@link #LOCAL}, or {@link #OTHER} for any other name
     */
    public static TransportKind fromName(String name) {
        String plain = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (plain.endsWith(SEALED_SUFFIX)) {
            plain = plain.substring(0, plain.length() - SEALED_SUFFIX.length());
        }
        return switch (plain) {
            case "webrtc" -> WEBRTC;
            case "websocket" -> RELAY;
            case "memory" -> LOCAL;
            default -> OTHER;
        };
    }
}
