package dev.ensemble.collab.repo.server;

/**
 * Thrown by a {@link RepoAccessPolicy} to refuse a {@code join}. The message is sent to the client
 * in an {@code error} message before the connection is closed (code 1008), so it should say what
 * to do, and must hold no secret.
 */
public class RepoAccessDeniedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message why, readable by the client */
    public RepoAccessDeniedException(String message) {
        super(message);
    }
}
