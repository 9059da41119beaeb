package dev.ensemble.transport.membership;

import java.util.Arrays;

/**
 * INTERNAL API. The membership stage's own frames: {@link MembershipTransport#FRAME_MARKER}, a type byte,
 * then the encoding of a chain ({@link #PRESENT}) or a revocation ({@link #REVOCATION}). Stateless.
 */
final class MembershipFrames {

    /** Type of the frame that carries the sender's invite chain. */
    static final byte PRESENT = 0x01;
    /** Type of the frame that carries one revocation. */
    static final byte REVOCATION = 0x02;

    private static final int HEADER_BYTES = 2;

    private MembershipFrames() {}

    static byte[] present(InviteChain chain) {
        return frame(PRESENT, chain.encode());
    }

    static byte[] revocation(Revocation revocation) {
        return frame(REVOCATION, revocation.encode());
    }

    /** Whether a frame is the stage's own (the layer above's never start with the marker). */
    static boolean isMembershipFrame(byte[] frame) {
        return frame.length > 0 && frame[0] == MembershipTransport.FRAME_MARKER;
    }

    /** The frame's type byte; the frame is the stage's own and at least two bytes long. */
    static byte type(byte[] frame) {
        return frame[1];
    }

    /** What follows the header: the encoding for {@link InviteChain#decode} or {@link Revocation#decode}. */
    static byte[] payload(byte[] frame) {
        return Arrays.copyOfRange(frame, HEADER_BYTES, frame.length);
    }

    private static byte[] frame(byte type, byte[] encoded) {
        byte[] frame = new byte[HEADER_BYTES + encoded.length];
        frame[0] = MembershipTransport.FRAME_MARKER;
        frame[1] = type;
        System.arraycopy(encoded, 0, frame, HEADER_BYTES, encoded.length);
        return frame;
    }
}
