package dev.ensemble.collab.wire;

import dev.ensemble.transport.PeerId;

/**
 * A chunk stream from a peer was dropped by its {@link Reassembler}: the message names the peer,
 * the document, the message id and what was wrong. The peer's other messages and streams are
 * unaffected; later chunks of the dropped stream are ignored.
 */
public final class ChunkStreamException extends EnvelopeException {

    private static final long serialVersionUID = 1L;

    /** Why a chunk stream was dropped. */
    public enum Reason {
        /** A chunk's document, count or total length differs from the stream's first chunk, or the
         * chunks' bytes do not add up to the total length. */
        INCONSISTENT,
        /** Two chunks with the same index carry different bytes. */
        CONFLICTING_DUPLICATE,
        /** The message is larger than {@link ReassemblyLimits#maxMessageSize()}. */
        TOO_LARGE,
        /** The stream has more chunks than {@link ReassemblyLimits#maxChunksPerMessage()}. */
        TOO_MANY_CHUNKS,
        /** The peer already has {@link ReassemblyLimits#maxPartialMessages()} incomplete streams. */
        TOO_MANY_PARTIAL_MESSAGES,
        /** No new chunk arrived within {@link ReassemblyLimits#timeout()}. */
        EXPIRED,
        /** The reassembled bytes are not a valid envelope for this stream. */
        INVALID_CONTENT
    }

    private final transient PeerId peer;
    private final String documentId;
    private final int messageId;
    private final Reason reason;

    ChunkStreamException(PeerId peer, String documentId, int messageId, Reason reason, String detail, Throwable cause) {
        super(
                "dropped chunk stream " + messageId + " from peer " + peer + " for document \"" + documentId + "\": "
                        + detail,
                -1,
                cause);
        this.peer = peer;
        this.documentId = documentId;
        this.messageId = messageId;
        this.reason = reason;
    }

    /**
     * Returns the peer that sent the stream.
     *
     * @return the peer
     */
    public PeerId peer() {
        return peer;
    }

    /**
     * Returns the document the stream was for.
     *
     * @return the document id
     */
    public String documentId() {
        return documentId;
    }

    /**
     * Returns the stream's message id.
     *
     * @return the id from the chunks' header
     */
    public int messageId() {
        return messageId;
    }

    /**
     * Returns why the stream was dropped.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
