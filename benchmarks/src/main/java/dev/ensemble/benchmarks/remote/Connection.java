package dev.ensemble.benchmarks.remote;

/** How the calling node reaches the counter's node; one measurement each. */
enum Connection {
    /** The comparator: two Pekko actor systems over Artery's TCP transport. */
    ARTERY("artery"),
    /** ensemble-remote over a direct WebSocket connection ({@code DirectTransport}). */
    DIRECT("direct"),
    /** ensemble-remote through the signaling server's relay ({@code WebSocketTransport}). */
    RELAY("relay"),
    /** ensemble-remote over WebRTC data channels negotiated through the signaling server. */
    WEBRTC("webrtc");

    final String label;

    Connection(String label) {
        this.label = label;
    }

    static Connection of(String label) {
        for (Connection connection : values()) {
            if (connection.label.equals(label)) {
                return connection;
            }
        }
        throw new IllegalArgumentException("no connection '" + label + "' (artery, direct, relay, webrtc)");
    }
}
