package dev.ensemble.collab.repo;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * An automerge-repo document id: bs58check of (usually) the 16 random bytes of a UUID v4, for
 * example {@code 1Bhh3pU9gLXZiNDL6PEa1Gs9fh} for the bytes {@code 00 01 … 0f}. On the wire the
 * text form travels; it uses only letters and digits, so it is also a valid ensemble document id
 * (for {@code CollaborationSettings} and storage) as it is.
 *
 * <p>Like the JavaScript parser, {@link #parse} accepts any bs58check payload of 1 to 64 bytes
 * (automerge-repo does not insist on 16). Immutable and thread-safe.
 *
 * <pre>{@code
 * DocumentId id = DocumentId.random();           // what Repo.create() makes
 * DocumentId same = DocumentId.parse(id.toString());
 * }</pre>
 */
public final class DocumentId {
    /** The length of the ids automerge-repo makes. */
    public static final int BYTES = 16;
    /** The longest payload accepted when parsing. */
    public static final int MAX_BYTES = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String text;
    private final byte[] bytes;

    private DocumentId(String text, byte[] bytes) {
        this.text = text;
        this.bytes = bytes;
    }

    /** @return a new random id of {@value #BYTES} bytes, shaped as a UUID v4 like automerge-repo's */
    public static DocumentId random() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        return of(bytes);
    }

    /**
     * @param bytes the binary id, 1 to {@value #MAX_BYTES} bytes
     * @return the id
     */
    public static DocumentId of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        checkLength(bytes.length, null);
        byte[] copy = bytes.clone();
        return new DocumentId(Base58Check.encode(copy), copy);
    }

    /**
     * @param text the bs58check text form
     * @return the id
     * @throws IllegalArgumentException if it is not base58, the checksum is wrong, or the payload
     *     length is out of range; the message names the text and the problem
     */
    public static DocumentId parse(String text) {
        Objects.requireNonNull(text, "text");
        byte[] bytes = Base58Check.decode(text, "document id");
        checkLength(bytes.length, text);
        return new DocumentId(text, bytes);
    }

    private static void checkLength(int length, String text) {
        if (length < 1 || length > MAX_BYTES) {
            throw new IllegalArgumentException("document id" + (text == null ? "" : " \"" + text + "\"")
                    + " must hold 1 to " + MAX_BYTES + " bytes, but holds " + length);
        }
    }

    /** @return a copy of the binary id */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the {@code automerge:} URL of this document */
    public AutomergeUrl url() {
        return new AutomergeUrl(this, null);
    }

    /** @return the bs58check text, as on the wire */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DocumentId id && Arrays.equals(bytes, id.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
