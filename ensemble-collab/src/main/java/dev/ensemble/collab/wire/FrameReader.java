package dev.ensemble.collab.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one frame, checking every length against the bytes that remain before
 * using it. Not thread-safe: one instance per decode call.
 */
final class FrameReader {

    private final byte[] frame;
    private int position;

    FrameReader(byte[] frame) {
        this.frame = frame;
    }

    int position() {
        return position;
    }

    int remaining() {
        return frame.length - position;
    }

    int readByte(String field) throws TruncatedEnvelopeException {
        if (position >= frame.length) {
            throw truncated(field, position, 1);
        }
        return frame[position++] & 0xFF;
    }

    int readVarint(String field) throws EnvelopeException {
        int start = position;
        long value = 0;
        for (int i = 0; i < Varint.MAX_BYTES; i++) {
            if (position >= frame.length) {
                throw new TruncatedEnvelopeException(
                        "truncated envelope: field '" + field
                                + "' (a varint) starting at offset " + start + " is cut off at the end of the "
                                + frame.length + "-byte frame",
                        start);
            }
            int b = frame[position++] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i > 0 && b == 0) {
                    throw new MalformedEnvelopeException(
                            "malformed envelope: field '" + field
                                    + "' at offset " + start + " is a non-minimal varint (" + (i + 1)
                                    + " bytes ending in 0x00); encode it in the fewest bytes",
                            start);
                }
                if (value > Integer.MAX_VALUE) {
                    throw new MalformedEnvelopeException(
                            "malformed envelope: field '" + field + "' at offset " + start + " is " + value
                                    + ", above the varint limit 2^31-1",
                            start);
                }
                return (int) value;
            }
        }
        throw new MalformedEnvelopeException(
                "malformed envelope: field '" + field + "' at offset " + start + " is a varint longer than "
                        + Varint.MAX_BYTES + " bytes",
                start);
    }

    /** Reads {@code length} bytes, which the caller has checked against {@link #remaining()}. */
    byte[] readBytes(int length) {
        byte[] bytes = new byte[length];
        System.arraycopy(frame, position, bytes, 0, length);
        position += length;
        return bytes;
    }

    String readUtf8(int length, String field) throws MalformedEnvelopeException {
        int start = position;
        if (isAscii(start, length)) {
            // Document ids are ASCII in practice; ASCII is UTF-8 read as Latin-1, without the
            // decoder and two buffers that a strict decode allocates per frame.
            position += length;
            return new String(frame, start, length, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(frame, start, length);
        CharBuffer out = CharBuffer.allocate(length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            throw new MalformedEnvelopeException(
                    "malformed envelope: field '" + field
                            + "' is not valid UTF-8 at offset " + at + " (byte 0x"
                            + Integer.toHexString(frame[at] & 0xFF) + ")",
                    at);
        }
        decoder.flush(out);
        position += length;
        return out.flip().toString();
    }

    private boolean isAscii(int start, int length) {
        for (int i = start; i < start + length; i++) {
            if (frame[i] < 0) {
                return false;
            }
        }
        return true;
    }

    TruncatedEnvelopeException truncated(String field, int at, long needed) {
        return new TruncatedEnvelopeException(
                "truncated envelope: field '" + field + "' at offset "
                        + at + " needs " + needed + " byte(s) but the " + frame.length + "-byte frame has "
                        + Math.max(0, frame.length - at) + " left",
                at);
    }
}
