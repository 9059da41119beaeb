package dev.ensemble.collab.wire;

/**
 * What an {@link Envelope} carries. The {@linkplain #code() code} is the kind byte on the wire;
 * the {@linkplain #wireName() wire name} is its name in documentation and test vectors.
 *
 * <p>Document id rules: {@link #SYNC}, {@link #SNAPSHOT} and {@link #CHUNK} name a document (a
 * non-empty id), as do {@link #CHANGES} and {@link #ACK}; {@link #EPHEMERAL} may name one or be room-wide (empty id); {@link #PING} and
 * {@link #PONG} concern the connection and carry an empty id.
 */
public enum EnvelopeKind {
    /** A standard Automerge sync message for one document. */
    SYNC(0x01, "sync", DocumentRule.REQUIRED),
    /** A compact saved document, sent to a peer that has nothing of it yet. */
    SNAPSHOT(0x02, "snapshot", DocumentRule.REQUIRED),
    /** One part of a larger envelope that did not fit the transport's limit. */
    CHUNK(0x03, "chunk", DocumentRule.REQUIRED),
    /** A message that must not enter the document: note events, presence, cursors. */
    EPHEMERAL(0x04, "ephemeral", DocumentRule.OPTIONAL),
    /** A liveness or latency probe; the receiver answers with a {@link #PONG} of the same payload. */
    PING(0x05, "ping", DocumentRule.FORBIDDEN),
    /** The answer to a {@link #PING}, echoing its payload. */
    PONG(0x06, "pong", DocumentRule.FORBIDDEN),
    CHANGES(0x07, "changes", DocumentRule.REQUIRED),
    ACK(0x08, "ack", DocumentRule.REQUIRED);

    /** Whether a kind names a document. */
    enum DocumentRule {
        REQUIRED,
        OPTIONAL,
        FORBIDDEN
    }

    private static final EnvelopeKind[] BY_CODE = new EnvelopeKind[256];

    static {
        for (EnvelopeKind kind : values()) {
            BY_CODE[kind.code] = kind;
        }
    }

    private final int code;
    private final String wireName;
    private final DocumentRule documentRule;

    EnvelopeKind(int code, String wireName, DocumentRule documentRule) {
        this.code = code;
        this.wireName = wireName;
        this.documentRule = documentRule;
    }

    /**
     * Returns the kind byte on the wire.
     *
     * @return the code, 1 to 255
     */
    public int code() {
        return code;
    }

    /**
     * Returns the lower-case name used in the protocol documentation and the test vectors.
     *
     * @return e.g. {@code "sync"}
     */
    public String wireName() {
        return wireName;
    }

    DocumentRule documentRule() {
        return documentRule;
    }

    /**
     * Returns the kind for a kind byte.
     *
     * @param code the byte, 0 to 255
     * @return the kind, or {@code null} if this version knows no such kind
     */
    static EnvelopeKind ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * Returns the kind with a wire name.
     *
     * @param wireName e.g. {@code "sync"}
     * @return the kind
     * @throws IllegalArgumentException if no kind has that name
     */
    public static EnvelopeKind ofWireName(String wireName) {
        for (EnvelopeKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown envelope kind name \"" + wireName
                + "\" (expected one of sync, snapshot, chunk," + " ephemeral, ping, pong, changes, ack)");
    }
}
