package dev.ensemble.collab.wire;

/**
 * A field has an invalid value or encoding (a non-minimal or too long varint, invalid UTF-8, a
 * document id the kind does not allow, an invalid chunk header), or bytes follow the payload.
 */
public final class MalformedEnvelopeException extends EnvelopeException {

    private static final long serialVersionUID = 1L;

    MalformedEnvelopeException(String message, int offset) {
        super(message, offset, null);
    }
}
