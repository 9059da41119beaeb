package dev.ensemble.collab;

/**
 * The framing of encoded changes pushed by a peer, checked before Automerge sees them: Automerge
 * would load the whole chunks before a damaged one and drop the rest without a word, so damage is
 * refused whole with a message that says where it is.
 *
 * <p>Thread-safe: stateless.
 */
final class ChunkFraming {
    /** The first bytes of every Automerge chunk (a change, or a saved document). */
    private static final byte[] CHUNK_MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};
    /** The type byte of a saved document's chunk. */
    private static final byte DOCUMENT = 0x00;

    private ChunkFraming() {}

    /**
     * Checks the framing of encoded changes: a sequence of chunks, each the magic bytes {@code 85
     * 6F 4A 83}, a 4-byte checksum, a type byte, a LEB128 length and that many bytes.
     *
     * @return what is wrong and where, or null if the chunks are whole
     */
    static String problem(byte[] changes) {
        int offset = 0;
        while (offset < changes.length) {
            if (changes.length - offset < 9) {
                return "a chunk header at offset " + offset + " is cut short";
            }
            for (int i = 0; i < CHUNK_MAGIC.length; i++) {
                if (changes[offset + i] != CHUNK_MAGIC[i]) {
                    return "the chunk at offset " + offset + " does not start with the magic bytes 856f4a83";
                }
            }
            int at = offset + 9;
            long length = 0;
            int shift = 0;
            while (true) {
                if (at >= changes.length || shift > 28) {
                    return "the length of the chunk at offset " + offset + " is not a valid LEB128 number";
                }
                int b = changes[at++] & 0xff;
                length |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                shift += 7;
            }
            if (length > changes.length - at) {
                return "the chunk at offset " + offset + " declares " + length + " bytes but only "
                        + (changes.length - at) + " follow";
            }
            offset = at + (int) length;
        }
        return null;
    }

    /**
     * Whether bytes are one saved document and nothing else: Automerge loads such a chunk whole,
     * where change chunks after it whose dependencies are missing would be held back.
     */
    static boolean isOneDocument(byte[] bytes) {
        if (problem(bytes) != null || bytes.length < 10 || bytes[8] != DOCUMENT) {
            return false;
        }
        int at = 9;
        long length = 0;
        for (int shift = 0; ; shift += 7) {
            int b = bytes[at++] & 0xff;
            length |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return at + length == bytes.length;
    }
}
