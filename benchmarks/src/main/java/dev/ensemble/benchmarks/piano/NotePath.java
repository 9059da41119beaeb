package dev.ensemble.benchmarks.piano;

import dev.ensemble.transport.Transport;
import dev.ensemble.transport.secure.SecureTransport;
import dev.ensemble.transport.webrtc.WebRtcConfig;
import dev.ensemble.transport.webrtc.WebRtcTransport;
import dev.ensemble.transport.ws.WebSocketTransport;
import java.util.List;
import java.util.Locale;

/**
 * The way the notes travel between the players: the signaling server's WebSocket relay, or WebRTC
 * data channels negotiated over that relay, which stays as the fallback (as the demo's {@code
 * RoomProvider} sets the players up). Thread-safe: immutable.
 *
 * <pre>{@code
 * List<Transport> preferred = NotePath.WEBRTC.transports(relay);   // [webrtc, relay]
 * }</pre>
 */
enum NotePath {
    /** Every frame through the signaling server. */
    RELAY("relay"),
    /**
     * Every frame through the signaling server, sealed end to end by a session per pair of players
     * ({@link SecureTransport}, as the demo's relay is): compared with {@link #RELAY} for the cost of the
     * sessions.
     */
    SEALED("sealed"),
    /** A data channel per pair of players; the relay carries the signals and is the fallback. */
    WEBRTC("webrtc");

    private final String label;

    NotePath(String label) {
        this.label = label;
    }

    /** @return {@code relay} or {@code webrtc}, as on the command line and in the output's names */
    String label() {
        return label;
    }

    /**
     * The transports of one player, best first.
     *
     * @param relay the player's relay to the room, not started
     * @return {@code [relay]}, {@code [sealed relay]} or {@code [webrtc over relay, relay]}
     */
    List<Transport> transports(WebSocketTransport relay) {
        return switch (this) {
            case RELAY -> List.of(relay);
            case SEALED ->
                List.of(SecureTransport.wrap(
                        relay, relay.config().identity(), relay.config().room()));
            case WEBRTC -> List.of(WebRtcTransport.overRelay(relay, WebRtcConfig.defaults()), relay);
        };
    }

    /**
     * @param label {@code relay} or {@code webrtc}
     * @return the path
     * @throws IllegalArgumentException naming the label if it is neither
     */
    static NotePath of(String label) {
        for (NotePath path : values()) {
            if (path.label.equals(label.toLowerCase(Locale.ROOT))) {
                return path;
            }
        }
        throw new IllegalArgumentException(
                "unknown transport '" + label + "' (expected webrtc, relay, sealed or both)");
    }
}
