package dev.ensemble.piano.model;

/** How a peer's messages reach this player. */
public enum Transport {
    /** The same process (the local room). */
    LOCAL,
    /** A direct WebRTC data channel. */
    WEBRTC,
    /** The signaling server's WebSocket relay. */
    RELAY
}
