package dev.ensemble.collab.ephemeral;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The inner layout of an ephemeral message: what an {@code ephemeral} envelope's payload holds.
 * All integers big-endian; documented in docs/PROTOCOL.md, "Ephemeral messages and presence".
 *
 * <pre>
 *  offset 0      u8    version (1)
 *  offset 1      u64   sender epoch (unsigned; the sender's start time in ms)
 *  offset 9      u64   sequence number (unsigned, at least 1, per sender and epoch)
 *  offset 17     u8    topic length n (1..255)
 *  offset 18     n     topic, UTF-8
 *  offset 18+n   rest  the message, encoded by the topic's codec
 * </pre>
 *
 * @param epoch the sender's epoch
 * @param sequence the sequence number within the epoch
 * @param topic the topic's name
 * @param message the encoded message
 */
record Frame(long epoch, long sequence, String topic, byte[] message) {
    static final int VERSION = 1;
    static final int HEADER_BYTES = 18;
    static final int MAX_TOPIC_BYTES = 255;

    byte[] encode() {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + name.length + message.length);
        out.put((byte) VERSION)
                .putLong(epoch)
                .putLong(sequence)
                .put((byte) name.length)
                .put(name)
                .put(message);
        return out.array();
    }

    /**
     * @param bytes an envelope's payload
     * @return the frame
     * @throws MalformedFrameException naming the field, the value seen and its offset
     */
    static Frame decode(byte[] bytes) throws MalformedFrameException {
        if (bytes.length < HEADER_BYTES + 1) {
            throw new MalformedFrameException("an ephemeral frame needs at least " + (HEADER_BYTES + 1)
                    + " bytes (header and a topic), was " + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int version = in.get() & 0xFF;
        if (version != VERSION) {
            throw new MalformedFrameException("unsupported ephemeral frame version " + version
                    + " at offset 0: this peer speaks version " + VERSION + " only");
        }
        long epoch = in.getLong();
        long sequence = in.getLong();
        if (sequence == 0) {
            throw new MalformedFrameException("sequence number at offset 9 must be at least 1, was 0");
        }
        int topicLength = in.get() & 0xFF;
        if (topicLength == 0 || HEADER_BYTES + topicLength > bytes.length) {
            throw new MalformedFrameException("topic length at offset 17 must be 1.." + (bytes.length - HEADER_BYTES)
                    + " for a frame of " + bytes.length + " bytes, was " + topicLength);
        }
        String topic;
        try {
            topic = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, HEADER_BYTES, topicLength))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFrameException("topic at offset 18 is not valid UTF-8");
        }
        return new Frame(epoch, sequence, topic, Arrays.copyOfRange(bytes, HEADER_BYTES + topicLength, bytes.length));
    }

    /** A frame that breaks the layout above; the message names the rule and the value seen. */
    static final class MalformedFrameException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedFrameException(String message) {
            super(message);
        }
    }
}
