package dev.ensemble.collab.wire;

/**
 * The frame's version byte is not the version this peer speaks ({@link EnvelopeCodec#VERSION}).
 * The receiver drops the frame and never guesses at its layout.
 */
public final class UnsupportedVersionException extends EnvelopeException {

    private static final long serialVersionUID = 1L;

    UnsupportedVersionException(String message, int offset) {
        super(message, offset, null);
    }
}
