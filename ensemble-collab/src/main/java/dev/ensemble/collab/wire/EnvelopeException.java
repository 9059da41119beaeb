package dev.ensemble.collab.wire;

/**
 * Bytes from a peer that are not a valid envelope, or a chunk stream that cannot be reassembled.
 * The only exception the wire layer throws for bad input: the message says what was wrong, the
 * value seen and where; the subclass says which rule was broken.
 *
 * <pre>
 * EnvelopeException
 *  ├─ TruncatedEnvelopeException     the frame ends before a field it declares
 *  ├─ MalformedEnvelopeException     a field has an invalid value or encoding, or bytes trail
 *  ├─ UnsupportedVersionException    the version byte is not one this peer speaks
 *  ├─ UnknownKindException           the kind byte is not one this version defines
 *  ├─ OversizedEnvelopeException     the frame or a field is longer than its limit
 *  └─ ChunkStreamException           a chunk stream from a peer was dropped
 * </pre>
 *
 * <p>A receiver drops the offending frame (or chunk stream), reports it with the peer's id, and
 * keeps the connection and every other stream.
 */
public abstract class EnvelopeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;

    EnvelopeException(String message, int offset, Throwable cause) {
        super(message, cause);
        this.offset = offset;
    }

    /**
     * Returns the offset in the frame where the problem was found: the first byte of the field at
     * fault.
     *
     * @return the offset from the frame's first byte, or -1 when the problem is not at one place in
     *     a frame (a chunk stream)
     */
    public int offset() {
        return offset;
    }
}
