package dev.ensemble.collab.repo;

/** A well-formed map whose {@code type} this codec does not know; peers drop such messages. */
public final class UnknownMessageTypeException extends RepoProtocolException {
    private static final long serialVersionUID = 1L;

    private final String type;

    /** @param type the type seen */
    public UnknownMessageTypeException(String type) {
        super("unknown message type \"" + type + "\"");
        this.type = type;
    }

    /** @return the type seen */
    public String type() {
        return type;
    }
}
