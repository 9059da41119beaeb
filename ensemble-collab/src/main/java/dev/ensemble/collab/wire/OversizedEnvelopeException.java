package dev.ensemble.collab.wire;

/**
 * The frame is longer than the decoder's limit, or a field is longer than the protocol allows.
 * Detected before anything of that length is allocated.
 */
public final class OversizedEnvelopeException extends EnvelopeException {

    private static final long serialVersionUID = 1L;

    OversizedEnvelopeException(String message, int offset) {
        super(message, offset, null);
    }
}
