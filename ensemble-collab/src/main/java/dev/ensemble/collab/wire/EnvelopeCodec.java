package dev.ensemble.collab.wire;

import java.nio.charset.StandardCharsets;

/**
 * Encodes {@link Envelope}s to frames and decodes frames back, in the fixed layout of protocol
 * version {@value #VERSION}. A frame is one transport message; the layout is language-neutral
 * (bytes and unsigned LEB128 varints only) and specified in {@code docs/PROTOCOL.md}.
 *
 * <h2>Layout</h2>
 *
 * <pre>
 * +---------+------+-------------+-------------+----------------+------------+---------+
 * | version | kind | docIdLength | documentId  | chunk header   | payloadLen | payload |
 * | 1 byte  | 1 B  | varint      | UTF-8 bytes | CHUNK only:    | varint     | bytes   |
 * | = 0x01  |      | 0..255      |             | 4 varints      |            |         |
 * +---------+------+-------------+-------------+----------------+------------+---------+
 * chunk header = messageId, index, count, totalLength (each a varint)
 * </pre>
 *
 * The payload length is explicit even though the transport delimits frames, so that a cut-off
 * frame is always detected. Bytes after the payload are an error.
 *
 * <h2>Before and after: a sync message for document "doc"</h2>
 *
 * <pre>
 * Envelope.sync("doc", {0x42, 0x43})           (9 bytes on the wire)
 * +------+------+------+----------------+------+-----------+
 * | 0x01 | 0x01 | 0x03 | 0x64 0x6F 0x63 | 0x02 | 0x42 0x43 |
 * | ver  | sync | len  | "doc"          | len  | payload   |
 * +------+------+------+----------------+------+-----------+
 * </pre>
 *
 * <h2>Errors</h2>
 *
 * {@link #decode(byte[])} throws only {@link EnvelopeException} subclasses, each naming the field,
 * the value seen and the offset. It checks every declared length against the bytes present (and
 * the frame against {@link #maxFrameSize()}) before allocating anything of that length.
 *
 * <h2>Threading</h2>
 *
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * EnvelopeCodec codec = EnvelopeCodec.withMaxFrameSize(transport.maxMessageSize());
 * try {
 *   Envelope envelope = codec.decode(frame);
 * } catch (EnvelopeException e) {
 *   log.warn("dropped frame from peer {}: {}", peer, e.getMessage());
 * }
 * }</pre>
 */
public final class EnvelopeCodec {

    /** The protocol version this codec writes and the only one it reads. */
    public static final int VERSION = 1;

    /** The first byte of a session frame (docs/SECURITY.md), which an envelope decoder refuses by name. */
    static final int SESSION_FRAME_VERSION = 2;

    private final int maxFrameSize;

    private EnvelopeCodec(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Returns a codec that rejects frames longer than {@code maxFrameSize} bytes.
     *
     * @param maxFrameSize the longest frame accepted, e.g. the transport's {@code
     *     maxMessageSize()}; at least 1
     * @return the codec
     * @throws IllegalArgumentException if {@code maxFrameSize < 1}
     */
    public static EnvelopeCodec withMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize < 1) {
            throw new IllegalArgumentException("maxFrameSize must be >= 1, was " + maxFrameSize);
        }
        return new EnvelopeCodec(maxFrameSize);
    }

    /**
     * Returns the longest frame {@link #decode(byte[])} accepts.
     *
     * @return the limit in bytes
     */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * Returns the length of the frame that {@link #encode(Envelope)} produces.
     *
     * @param envelope the envelope
     * @return its encoded length in bytes
     * @throws IllegalArgumentException if the frame would be longer than 2<sup>31</sup>-1 - 16
     *     bytes
     */
    public static int encodedSize(Envelope envelope) {
        return checkedSize(headerSize(envelope) + envelope.payload().length);
    }

    /**
     * Encodes an envelope as one frame.
     *
     * @param envelope the envelope
     * @return a new array holding exactly the frame
     * @throws IllegalArgumentException if the frame would be longer than 2<sup>31</sup>-1 - 16
     *     bytes
     */
    public static byte[] encode(Envelope envelope) {
        byte[] payload = envelope.payload();
        byte[] frame = new byte[encodedSize(envelope)];
        int position = writeHeader(frame, envelope.kind(), envelope.documentId(), envelope.chunk(), payload.length);
        System.arraycopy(payload, 0, frame, position, payload.length);
        return frame;
    }

    /**
     * Encodes a chunk envelope whose payload is a slice of {@code source}, without copying the
     * slice first.
     */
    static byte[] encodeChunk(String documentId, ChunkHeader header, byte[] source, int from, int length) {
        byte[] documentIdBytes = documentId.getBytes(StandardCharsets.UTF_8);
        long size = 2L
                + Varint.size(documentIdBytes.length)
                + documentIdBytes.length
                + chunkHeaderSize(header)
                + Varint.size(length)
                + length;
        byte[] frame = new byte[checkedSize(size)];
        int position = writeHeader(frame, EnvelopeKind.CHUNK, documentId, header, length);
        System.arraycopy(source, from, frame, position, length);
        return frame;
    }

    /**
     * Decodes one frame.
     *
     * @param frame exactly one frame, as received from a transport
     * @return the envelope, whose payload is a new array
     * @throws EnvelopeException if the frame is not a valid version-{@value #VERSION} envelope;
     *     the subclass and message say what is wrong and where
     */
    public Envelope decode(byte[] frame) throws EnvelopeException {
        if (frame == null) {
            throw new TruncatedEnvelopeException("truncated envelope: the frame is null", 0);
        }
        if (frame.length > maxFrameSize) {
            throw new OversizedEnvelopeException(
                    "oversized envelope: the frame is " + frame.length
                            + " bytes, above this decoder's limit of " + maxFrameSize + " (first byte past the"
                            + " limit at offset " + maxFrameSize + "); larger messages must be chunked",
                    maxFrameSize);
        }
        FrameReader reader = new FrameReader(frame);
        int version = reader.readByte("version");
        if (version == SESSION_FRAME_VERSION) {
            // The session layer's frames (docs/SECURITY.md) start with 2: a sender that seals its
            // traffic talks to a receiver that does not open it.
            throw new UnsupportedVersionException(
                    "unsupported envelope version 2 at offset 0: the sender requires encrypted sessions (a"
                            + " session frame, docs/SECURITY.md) and this peer does not use them; turn them on"
                            + " for every peer of the room (dev.ensemble.transport.secure.SecureTransport); the"
                            + " frame is dropped",
                    0);
        }
        if (version != VERSION) {
            throw new UnsupportedVersionException(
                    "unsupported envelope version " + version + " at offset 0: this peer speaks version " + VERSION
                            + " only; the frame is dropped",
                    0);
        }
        int kindCode = reader.readByte("kind");
        EnvelopeKind kind = EnvelopeKind.ofCode(kindCode);
        if (kind == null) {
            throw new UnknownKindException(
                    "unknown envelope kind 0x" + hex(kindCode)
                            + " at offset 1: version " + VERSION + " defines 0x01 to 0x08 (sync, snapshot, chunk,"
                            + " ephemeral, ping, pong, changes, ack); the frame is dropped",
                    1);
        }
        int documentIdOffset = reader.position();
        int documentIdLength = reader.readVarint("documentIdLength");
        if (documentIdLength > Envelope.MAX_DOCUMENT_ID_BYTES) {
            throw new OversizedEnvelopeException(
                    "oversized envelope: field 'documentIdLength' at"
                            + " offset " + documentIdOffset + " is " + documentIdLength + ", above the limit of "
                            + Envelope.MAX_DOCUMENT_ID_BYTES + " bytes",
                    documentIdOffset);
        }
        if (documentIdLength > reader.remaining()) {
            throw reader.truncated("documentId", reader.position(), documentIdLength);
        }
        String documentId = reader.readUtf8(documentIdLength, "documentId");
        String documentProblem = Envelope.documentIdProblem(kind, documentId);
        if (documentProblem != null) {
            throw new MalformedEnvelopeException(
                    "malformed envelope: " + documentProblem + " (field 'documentIdLength' at offset "
                            + documentIdOffset + ")",
                    documentIdOffset);
        }
        ChunkHeader chunk = kind == EnvelopeKind.CHUNK ? readChunkHeader(reader) : null;
        int payloadLengthOffset = reader.position();
        int payloadLength = reader.readVarint("payloadLength");
        if (payloadLength > reader.remaining()) {
            throw new TruncatedEnvelopeException(
                    "truncated envelope: field 'payloadLength' at offset "
                            + payloadLengthOffset + " declares " + payloadLength + " bytes but the "
                            + frame.length + "-byte frame has " + reader.remaining() + " left",
                    payloadLengthOffset);
        }
        if (payloadLength < reader.remaining()) {
            int end = reader.position() + payloadLength;
            throw new MalformedEnvelopeException(
                    "malformed envelope: " + (reader.remaining() - payloadLength) + " trailing byte(s) at offset " + end
                            + " after the "
                            + payloadLength + "-byte payload declared at offset " + payloadLengthOffset,
                    end);
        }
        if (chunk != null) {
            String problem = Envelope.chunkProblem(kind, chunk, payloadLength);
            if (problem != null) {
                throw new MalformedEnvelopeException(
                        "malformed envelope: " + problem + " (field 'payloadLength' at offset " + payloadLengthOffset
                                + ")",
                        payloadLengthOffset);
            }
        }
        return new Envelope(kind, documentId, chunk, reader.readBytes(payloadLength));
    }

    private static ChunkHeader readChunkHeader(FrameReader reader) throws EnvelopeException {
        int messageId = reader.readVarint("messageId");
        int indexOffset = reader.position();
        int index = reader.readVarint("index");
        int countOffset = reader.position();
        int count = reader.readVarint("count");
        int totalLengthOffset = reader.position();
        int totalLength = reader.readVarint("totalLength");
        int at = count < 1 ? countOffset : index >= count ? indexOffset : totalLengthOffset;
        String problem = ChunkHeader.problem(messageId, index, count, totalLength);
        if (problem != null) {
            throw new MalformedEnvelopeException("malformed envelope: " + problem + " (at offset " + at + ")", at);
        }
        return new ChunkHeader(messageId, index, count, totalLength);
    }

    private static long headerSize(Envelope envelope) {
        int documentIdLength = Envelope.utf8Length(envelope.documentId());
        return 2L
                + Varint.size(documentIdLength)
                + documentIdLength
                + (envelope.chunk() == null ? 0 : chunkHeaderSize(envelope.chunk()))
                + Varint.size(envelope.payload().length);
    }

    private static int chunkHeaderSize(ChunkHeader header) {
        return Varint.size(header.messageId())
                + Varint.size(header.index())
                + Varint.size(header.count())
                + Varint.size(header.totalLength());
    }

    private static int checkedSize(long size) {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("an envelope frame must be at most 2^31-17 bytes, this"
                    + " one would be " + size + "; send less per envelope");
        }
        return (int) size;
    }

    private static int writeHeader(
            byte[] frame, EnvelopeKind kind, String documentId, ChunkHeader chunk, int payloadLength) {
        byte[] documentIdBytes = documentId.getBytes(StandardCharsets.UTF_8);
        frame[0] = (byte) VERSION;
        frame[1] = (byte) kind.code();
        int position = Varint.write(frame, 2, documentIdBytes.length);
        System.arraycopy(documentIdBytes, 0, frame, position, documentIdBytes.length);
        position += documentIdBytes.length;
        if (chunk != null) {
            position = Varint.write(frame, position, chunk.messageId());
            position = Varint.write(frame, position, chunk.index());
            position = Varint.write(frame, position, chunk.count());
            position = Varint.write(frame, position, chunk.totalLength());
        }
        return Varint.write(frame, position, payloadLength);
    }

    private static String hex(int value) {
        return String.format("%02x", value);
    }
}
