package dev.ensemble.collab.repo;

/**
 * An automerge-repo frame that cannot be read, or a message that cannot be written: not CBOR, not a
 * map, a field missing or of the wrong type, a bad document id, a frame over the limit. The
 * message names the field, what was expected and what was seen. {@link UnknownMessageTypeException}
 * sets apart well-formed messages of a type this codec does not know, which a peer should drop and
 * log rather than treat as an error (newer versions may add types).
 */
public class RepoProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong */
    public RepoProtocolException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong
     * @param cause the underlying failure
     */
    public RepoProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
