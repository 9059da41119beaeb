package dev.ensemble.transport.secure;

/**
 * INTERNAL API. The session layer's frame constants and lengths (docs/SECURITY.md, "Frames").
 * Every frame starts with {@link #VERSION} and a type byte; the plain envelope starts with {@link
 * #PLAIN_ENVELOPE_VERSION}.
 */
final class SessionFrames {

    static final byte VERSION = 0x02;
    static final byte PLAIN_ENVELOPE_VERSION = 0x01;

    static final byte INIT = 0x01;
    static final byte ACCEPT = 0x02;
    static final byte CONFIRM = 0x03;
    static final byte FINISHED = 0x04;
    static final byte DATA = 0x10;

    static final int SIGNATURE_BYTES = 64;
    static final int INIT_BYTES = 2 + SessionKeys.NONCE_BYTES + X25519.KEY_BYTES;
    static final int ACCEPT_BYTES = 2 + 2 * SessionKeys.NONCE_BYTES + X25519.KEY_BYTES + SIGNATURE_BYTES;
    static final int CONFIRM_BYTES = 2 + 2 * SessionKeys.NONCE_BYTES + SIGNATURE_BYTES;
    static final int FINISHED_BYTES = CONFIRM_BYTES;

    private SessionFrames() {}

    static byte[] frame(byte type, byte[]... parts) {
        int length = 2;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] frame = new byte[length];
        frame[0] = VERSION;
        frame[1] = type;
        int at = 2;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, frame, at, part.length);
            at += part.length;
        }
        return frame;
    }

    static byte[] slice(byte[] frame, int from, int length) {
        byte[] out = new byte[length];
        System.arraycopy(frame, from, out, 0, length);
        return out;
    }

    static String typeName(byte type) {
        return switch (type) {
            case INIT -> "init";
            case ACCEPT -> "accept";
            case CONFIRM -> "confirm";
            case FINISHED -> "finished";
            case DATA -> "data";
            default -> String.format("unknown type 0x%02x", type);
        };
    }
}
