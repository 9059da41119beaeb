package dev.ensemble.collab.sync;

import java.util.HexFormat;

/**
 * INTERNAL API. Input from a peer that the document cannot use: a sync message, changes or a
 * snapshot that Automerge cannot read or apply. The message says what was refused and why; the
 * {@link SyncEngine} adds the peer and reports it through {@link SyncHost#rejected}.
 */
public final class RejectedInputException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused (kind and size of the input) and Automerge's reason
     * @param cause Automerge's exception, or null if the input was refused before Automerge saw it
     */
    public RejectedInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Describes input for an error message: its size and first bytes.
     *
     * @param input what a peer sent
     * @return e.g. {@code "5 bytes (0102030405)"}, at most 16 bytes shown
     */
    public static String describe(byte[] input) {
        int shown = Math.min(input.length, 16);
        return input.length + " bytes (" + HexFormat.of().formatHex(input, 0, shown)
                + (input.length > shown ? "..." : "") + ")";
    }
}
