package dev.ensemble.piano.session;

/**
 * What one player received from one peer during a session.
 *
 * @param peerId the peer
 * @param name their name
 * @param transport how their messages arrived ({@code LOCAL}, {@code WEBRTC}, {@code RELAY})
 * @param notesReceived note-ons received from them
 * @param latencyP50Ms the median one-way latency measured, in milliseconds (-1 if never measured)
 * @param latencyP99Ms the 99th percentile, in milliseconds (-1 if never measured)
 */
public record PeerSummary(
        String peerId, String name, String transport, long notesReceived, double latencyP50Ms, double latencyP99Ms) {}
