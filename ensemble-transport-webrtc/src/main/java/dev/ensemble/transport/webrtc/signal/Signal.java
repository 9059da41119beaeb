package dev.ensemble.transport.webrtc.signal;

import java.util.Objects;

/**
 * One negotiation message from a peer to another, carried as the {@code data} of a signaling
 * server {@code signal} message: a session description (offer or answer) or one trickled ICE
 * candidate. {@link SignalCodec} turns it into JSON in the shapes a browser's WebRTC API
 * produces, so that a browser page can be a peer:
 *
 * <pre>
 * {"description":{"type":"offer","sdp":"v=0\r\n..."},"session":"9f2c4e71a0b3d855"}
 * {"candidate":{"candidate":"candidate:1 1 udp 2122260223 10.99.0.1 50417 typ host",
 *               "sdpMid":"0","sdpMLineIndex":0},
 *  "session":"9f2c4e71a0b3d855","peerSession":"5be1a07c93d2e614"}
 * </pre>
 *
 * <p>{@code session} names the sender's peer connection: a peer that starts a fresh connection
 * (after the old one failed) uses a new session, so that the receiver knows to start afresh too.
 * {@code peerSession} names the receiver's connection the signal belongs to, once the sender
 * knows it: an answer or candidate meant for a connection the receiver has since replaced is
 * recognised and dropped. Both are optional: a signal without them (e.g. from a browser page that
 * does not set them) belongs to whatever connection is current.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface Signal permits Signal.Description, Signal.Candidate {

    /** The longest SDP accepted, in characters. */
    int MAX_SDP_LENGTH = 64 * 1024;
    /** The longest candidate line accepted, in characters. */
    int MAX_CANDIDATE_LENGTH = 1024;
    /** The longest {@code sdpMid} and {@code session} accepted, in characters. */
    int MAX_TOKEN_LENGTH = 64;
    /** The largest {@code sdpMLineIndex} accepted. */
    int MAX_MLINE_INDEX = 1023;

    /**
     * Returns the sender's connection session.
     *
     * @return the session id, or {@code null} when the sender did not name one
     */
    String session();

    /**
     * Returns the receiver's connection session this signal belongs to.
     *
     * @return the session id, or {@code null} when the sender did not (yet) know it
     */
    String peerSession();

    /** The kind of a session description; only the two that perfect negotiation uses. */
    enum Type {
        /** An offer: starts or renegotiates a connection. */
        OFFER("offer"),
        /** An answer to an offer. */
        ANSWER("answer");

        private final String json;

        Type(String json) {
            this.json = json;
        }

        /**
         * Returns the name used in JSON, as in the browser's {@code RTCSessionDescription.type}.
         *
         * @return {@code "offer"} or {@code "answer"}
         */
        public String json() {
            return json;
        }
    }

    /**
     * A session description, as the browser's {@code RTCSessionDescriptionInit}.
     *
     * @param type offer or answer
     * @param sdp the SDP text, at most {@value Signal#MAX_SDP_LENGTH} characters
     * @param session the sender's connection session, or {@code null}
     * @param peerSession the receiver's connection session, or {@code null}
     * @param signature the sender's Ed25519 signature over the description, its addressee and the room
     *     (base64; docs/SECURITY.md, "Signed descriptions"), or {@code null} when unsigned
     */
    record Description(Type type, String sdp, String session, String peerSession, String signature) implements Signal {

        /** The longest signature member accepted: base64 of 64 bytes is 88 characters. */
        public static final int MAX_SIGNATURE_LENGTH = 128;

        /**
         * An unsigned description.
         *
         * @param type offer or answer
         * @param sdp the SDP text
         * @param session the sender's connection session, or {@code null}
         * @param peerSession the receiver's connection session, or {@code null}
         */
        public Description(Type type, String sdp, String session, String peerSession) {
            this(type, sdp, session, peerSession, null);
        }

        /**
         * Returns this description with a signature.
         *
         * @param signature base64 of the signature
         * @return a signed copy
         */
        public Description withSignature(String signature) {
            return new Description(type, sdp, session, peerSession, signature);
        }

        /**
         * Validates the description.
         *
         * @throws IllegalArgumentException if the SDP is empty or too long, or the session is
         *     malformed
         */
        public Description {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(sdp, "sdp");
            if (sdp.isEmpty() || sdp.length() > MAX_SDP_LENGTH) {
                throw new IllegalArgumentException(
                        "description sdp must be 1 to " + MAX_SDP_LENGTH + " characters, was " + sdp.length());
            }
            checkToken("session", session);
            checkToken("peerSession", peerSession);
            if (signature != null && (signature.isEmpty() || signature.length() > MAX_SIGNATURE_LENGTH)) {
                throw new IllegalArgumentException(
                        "signature must be 1 to " + MAX_SIGNATURE_LENGTH + " characters, was " + signature.length());
            }
        }
    }

    /**
     * One ICE candidate, as the browser's {@code RTCIceCandidateInit}. An empty {@code candidate}
     * line means "end of candidates" (what a browser sends last) and is ignored by the receiver.
     *
     * @param candidate the {@code candidate:...} line, or empty for end of candidates
     * @param sdpMid the media section's id, or {@code null}
     * @param sdpMLineIndex the media section's index, or {@code null}
     * @param session the sender's connection session, or {@code null}
     * @param peerSession the receiver's connection session, or {@code null}
     */
    record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex, String session, String peerSession)
            implements Signal {
        /**
         * Validates the candidate.
         *
         * @throws IllegalArgumentException if a field is too long or out of range
         */
        public Candidate {
            Objects.requireNonNull(candidate, "candidate");
            if (candidate.length() > MAX_CANDIDATE_LENGTH) {
                throw new IllegalArgumentException("candidate line must be at most " + MAX_CANDIDATE_LENGTH
                        + " characters, was " + candidate.length());
            }
            checkToken("sdpMid", sdpMid);
            if (sdpMLineIndex != null && (sdpMLineIndex < 0 || sdpMLineIndex > MAX_MLINE_INDEX)) {
                throw new IllegalArgumentException(
                        "sdpMLineIndex must be 0 to " + MAX_MLINE_INDEX + ", was " + sdpMLineIndex);
            }
            checkToken("session", session);
            checkToken("peerSession", peerSession);
        }

        /**
         * Tells whether this is the end-of-candidates marker.
         *
         * @return whether the candidate line is empty
         */
        public boolean isEndOfCandidates() {
            return candidate.isEmpty();
        }
    }

    private static void checkToken(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isEmpty() || value.length() > MAX_TOKEN_LENGTH) {
            throw new IllegalArgumentException(
                    field + " must be 1 to " + MAX_TOKEN_LENGTH + " characters, was " + value.length());
        }
    }
}
