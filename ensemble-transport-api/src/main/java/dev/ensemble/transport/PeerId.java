package dev.ensemble.transport;

import java.util.Objects;

/**
 * The stable identity of a peer, for example a {@code did:key} string derived from its Ed25519
 * key. The same peer keeps the same id across reconnects, so a transport reports a reconnecting
 * peer as the same {@code PeerId}.
 *
 * <p>A valid id is 1 to {@value #MAX_LENGTH} characters of printable ASCII without spaces
 * ({@code '!'} to {@code '~'}), so that it can be logged, used as a map key and sent in any
 * text protocol unchanged.
 *
 * <pre>{@code
 * PeerId alice = PeerId.of("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param value the id as text
 */
public record PeerId(String value) implements Comparable<PeerId> {

    /** The longest id accepted, in characters. */
    public static final int MAX_LENGTH = 256;

    /**
     * Validates and creates an id.
     *
     * @throws IllegalArgumentException if the value is empty, longer than {@value #MAX_LENGTH}
     *     characters, or contains a character outside {@code '!'..'~'}
     */
    public PeerId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("peer id must not be empty (expected e.g. a did:key)");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "peer id must be at most " + MAX_LENGTH + " characters, was " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '!' || c > '~') {
                throw new IllegalArgumentException("peer id must be printable ASCII without spaces, found character 0x"
                        + Integer.toHexString(c) + " at index " + i + " in \"" + printable(value) + "\"");
            }
        }
    }

    /**
     * Returns the id for a text value.
     *
     * @param value the id, e.g. a {@code did:key}
     * @return the validated id
     * @throws IllegalArgumentException if the value is not a valid id (see the class comment)
     */
    public static PeerId of(String value) {
        return new PeerId(value);
    }

    @Override
    public int compareTo(PeerId other) {
        return value.compareTo(other.value);
    }

    /** Returns the id itself, so that log lines read naturally. */
    @Override
    public String toString() {
        return value;
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 64; i++) {
            char c = value.charAt(i);
            out.append(c >= ' ' && c <= '~' ? c : '?');
        }
        return out.toString();
    }
}
