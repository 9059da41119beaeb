package dev.ensemble.collab.wire;

/**
 * The frame ends before a field it declares: a length that runs past the end, or a field cut
 * off.
 */
public final class TruncatedEnvelopeException extends EnvelopeException {

    private static final long serialVersionUID = 1L;

    TruncatedEnvelopeException(String message, int offset) {
        super(message, offset, null);
    }
}
