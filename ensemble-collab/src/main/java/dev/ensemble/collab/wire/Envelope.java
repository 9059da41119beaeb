package dev.ensemble.collab.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One message between two peers: a {@linkplain EnvelopeKind kind}, the document it concerns and
 * its bytes. Every frame names its document, so one peer connection carries any number of
 * documents. {@link EnvelopeCodec} turns an envelope into bytes and back; {@link Chunker} splits
 * one that is too large for a transport.
 *
 * <pre>{@code
 * Envelope sync = Envelope.sync("piano-room", syncMessageBytes);
 * byte[] frame = EnvelopeCodec.encode(sync);
 * }</pre>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>The document id is at most {@value #MAX_DOCUMENT_ID_BYTES} bytes of UTF-8 (no unpaired
 *       surrogate); whether it may or must be empty depends on the kind (see {@link
 *       EnvelopeKind}).
 *   <li>{@code chunk} is present exactly for {@link EnvelopeKind#CHUNK}; a chunk's payload is
 *       not empty and not longer than its {@link ChunkHeader#totalLength()}.
 * </ul>
 *
 * <h2>Ownership of the payload</h2>
 *
 * The payload array is shared, not copied, so that a many-megabyte sync message is not copied
 * again: treat it as read-only once it is in an envelope. Equality compares payload contents.
 *
 * @param kind what the envelope carries
 * @param documentId the document it concerns, empty for kinds that concern no document
 * @param chunk the chunk's position for {@link EnvelopeKind#CHUNK}, otherwise {@code null}
 * @param payload the bytes carried, read-only by convention
 */
public record Envelope(EnvelopeKind kind, String documentId, ChunkHeader chunk, byte[] payload) {

    /** The longest document id, in bytes of UTF-8. */
    public static final int MAX_DOCUMENT_ID_BYTES = 255;

    /**
     * Validates an envelope.
     *
     * @throws IllegalArgumentException if a rule in the class comment is broken; the message names
     *     the rule and the value seen
     */
    public Envelope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(payload, "payload");
        String problem = documentIdProblem(kind, documentId);
        if (problem == null) {
            problem = utf8Problem(documentId);
        }
        if (problem == null && utf8Length(documentId) > MAX_DOCUMENT_ID_BYTES) {
            problem = "document id must be at most " + MAX_DOCUMENT_ID_BYTES + " bytes of UTF-8, was "
                    + utf8Length(documentId);
        }
        if (problem == null) {
            problem = chunkProblem(kind, chunk, payload.length);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Returns a {@link EnvelopeKind#SYNC} envelope.
     *
     * @param documentId the document, not empty
     * @param syncMessage an Automerge sync message
     * @return the envelope
     */
    public static Envelope sync(String documentId, byte[] syncMessage) {
        return new Envelope(EnvelopeKind.SYNC, documentId, null, syncMessage);
    }

    /**
     * Returns a {@link EnvelopeKind#CHANGES} envelope: changes pushed to a peer that is known to
     * hold everything they depend on, applied without a reply.
     *
     * @param documentId the document, not empty
     * @param encodedChanges Automerge changes, as {@code Document.encodeChangesSince} returns them
     * @return the envelope
     */
    public static Envelope changes(String documentId, byte[] encodedChanges) {
        return new Envelope(EnvelopeKind.CHANGES, documentId, null, encodedChanges);
    }

    /**
     * Returns an {@link EnvelopeKind#ACK} envelope: "I hold these heads", the confirmation of pushed
     * {@link EnvelopeKind#CHANGES}.
     *
     * @param documentId the document, not empty
     * @param heads the heads, encoded as a count (uLEB128) after a {@code 0x43} byte, then 32-byte hashes
     * @return the envelope
     */
    public static Envelope ack(String documentId, byte[] heads) {
        return new Envelope(EnvelopeKind.ACK, documentId, null, heads);
    }

    /**
     * Returns a {@link EnvelopeKind#SNAPSHOT} envelope.
     *
     * @param documentId the document, not empty
     * @param savedDocument the compact saved document
     * @return the envelope
     */
    public static Envelope snapshot(String documentId, byte[] savedDocument) {
        return new Envelope(EnvelopeKind.SNAPSHOT, documentId, null, savedDocument);
    }

    /**
     * Returns an {@link EnvelopeKind#EPHEMERAL} envelope.
     *
     * @param documentId the document it concerns, or empty for the whole room
     * @param message the application's bytes
     * @return the envelope
     */
    public static Envelope ephemeral(String documentId, byte[] message) {
        return new Envelope(EnvelopeKind.EPHEMERAL, documentId, null, message);
    }

    /**
     * Returns a {@link EnvelopeKind#PING} envelope.
     *
     * @param token bytes the peer echoes, e.g. a counter or a send time
     * @return the envelope
     */
    public static Envelope ping(byte[] token) {
        return new Envelope(EnvelopeKind.PING, "", null, token);
    }

    /**
     * Returns a {@link EnvelopeKind#PONG} envelope answering a ping.
     *
     * @param token the ping's payload
     * @return the envelope
     */
    public static Envelope pong(byte[] token) {
        return new Envelope(EnvelopeKind.PONG, "", null, token);
    }

    /**
     * Returns a {@link EnvelopeKind#CHUNK} envelope. Usually made by {@link Chunker}.
     *
     * @param documentId the document of the chunked envelope
     * @param header the chunk's position
     * @param part the chunk's bytes, not empty
     * @return the envelope
     */
    public static Envelope chunk(String documentId, ChunkHeader header, byte[] part) {
        return new Envelope(EnvelopeKind.CHUNK, documentId, Objects.requireNonNull(header, "header"), part);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Envelope that
                && kind == that.kind
                && documentId.equals(that.documentId)
                && Objects.equals(chunk, that.chunk)
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, documentId, chunk) * 31 + Arrays.hashCode(payload);
    }

    /** Shows the kind, the document, the chunk header and up to 32 payload bytes in hex. */
    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 32));
        return "Envelope[" + kind.wireName() + ", document=\"" + documentId + "\""
                + (chunk == null ? "" : ", " + chunk)
                + ", payload=" + payload.length + " bytes " + head + (payload.length > 32 ? "..." : "")
                + "]";
    }

    static String documentIdProblem(EnvelopeKind kind, String documentId) {
        switch (kind.documentRule()) {
            case REQUIRED:
                return documentId.isEmpty()
                        ? "a " + kind.wireName() + " envelope must name its document (document id is empty)"
                        : null;
            case FORBIDDEN:
                return documentId.isEmpty()
                        ? null
                        : "a " + kind.wireName() + " envelope concerns no document, but its document id is \""
                                + documentId + "\"";
            default:
                return null;
        }
    }

    static String chunkProblem(EnvelopeKind kind, ChunkHeader chunk, int payloadLength) {
        if (kind == EnvelopeKind.CHUNK) {
            if (chunk == null) {
                return "a chunk envelope needs a chunk header";
            }
            if (payloadLength == 0) {
                return "a chunk envelope must carry at least 1 byte, was empty";
            }
            if (payloadLength > chunk.totalLength()) {
                return "a chunk's payload (" + payloadLength + " bytes) must not exceed its totalLength ("
                        + chunk.totalLength() + ")";
            }
        } else if (chunk != null) {
            return "only a chunk envelope has a chunk header, this is a " + kind.wireName();
        }
        return null;
    }

    private static String utf8Problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "document id has an unpaired surrogate at index " + i + " (not encodable as UTF-8)";
            }
            if (Character.isLowSurrogate(c)) {
                return "document id has an unpaired surrogate at index " + i + " (not encodable as UTF-8)";
            }
        }
        return null;
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
