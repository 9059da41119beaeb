package dev.ensemble.collab.wire;

/**
 * The frame's kind byte is not one this version defines. The receiver drops the frame and keeps
 * the connection, so that a newer peer's new kind costs nothing but a log line.
 */
public final class UnknownKindException extends EnvelopeException {

    private static final long serialVersionUID = 1L;

    UnknownKindException(String message, int offset) {
        super(message, offset, null);
    }
}
