package dev.ensemble.transport.membership;

import java.util.Arrays;

/**
 * INTERNAL API. The membership stage's own frames: {@link MembershipTransport#FRAME_MARKER}, a type byte,
 * then the type's payload. Stateless.
 *
 * <pre>
 * hello       0x03 0x03 ‖ nonce[32]                          first frame on each connection, each side
 * present     0x03 0x04 ‖ u8 n (0 or 64) ‖ proof[n] ‖ chain  in answer to the other side's hello
 * revocation  0x03 0x02 ‖ revocation
 * 0x03 0x01 ‖ chain: the present of versions before proof of possession; refused, naming the version
 * </pre>
 */
final class MembershipFrames {

    /** Type of the frame that carried a chain before proof of possession; refused with a clear reason. */
    static final byte LEGACY_PRESENT = 0x01;
    /** Type of the frame that carries one revocation. */
    static final byte REVOCATION = 0x02;
    /** Type of the frame that carries the sender's nonce for this connection. */
    static final byte HELLO = 0x03;
    /** Type of the frame that carries the sender's chain and, for a bearer invite, its proof of possession. */
    static final byte PRESENT = 0x04;

    private static final int HEADER_BYTES = 2;

    private MembershipFrames() {}

    static byte[] hello(byte[] nonce) {
        return frame(HELLO, nonce);
    }

    static byte[] present(InviteChain chain, byte[] proof) {
        byte[] encoded = chain.encode();
        byte[] payload = new byte[1 + proof.length + encoded.length];
        payload[0] = (byte) proof.length;
        System.arraycopy(proof, 0, payload, 1, proof.length);
        System.arraycopy(encoded, 0, payload, 1 + proof.length, encoded.length);
        return frame(PRESENT, payload);
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

    /** What follows the header. */
    static byte[] payload(byte[] frame) {
        return Arrays.copyOfRange(frame, HEADER_BYTES, frame.length);
    }

    /** A present's proof (empty when none came), or null if the frame is too short for the length it gives. */
    static byte[] presentProof(byte[] frame) {
        if (frame.length < HEADER_BYTES + 1) {
            return null;
        }
        int length = frame[HEADER_BYTES] & 0xff;
        if (frame.length < HEADER_BYTES + 1 + length) {
            return null;
        }
        return Arrays.copyOfRange(frame, HEADER_BYTES + 1, HEADER_BYTES + 1 + length);
    }

    /** A present's chain encoding, after its proof; the frame passed {@link #presentProof}. */
    static byte[] presentChain(byte[] frame) {
        int length = frame[HEADER_BYTES] & 0xff;
        return Arrays.copyOfRange(frame, HEADER_BYTES + 1 + length, frame.length);
    }

    private static byte[] frame(byte type, byte[] payload) {
        byte[] frame = new byte[HEADER_BYTES + payload.length];
        frame[0] = MembershipTransport.FRAME_MARKER;
        frame[1] = type;
        System.arraycopy(payload, 0, frame, HEADER_BYTES, payload.length);
        return frame;
    }
}
