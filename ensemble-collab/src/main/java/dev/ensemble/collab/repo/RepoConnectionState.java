package dev.ensemble.collab.repo;

/**
 * What a {@link RepoConnectionActor} publishes about its connection. Immutable.
 *
 * @param peerId this side's peer id (the same across reconnects)
 * @param connected whether the server has answered {@code join} with {@code peer} on the current
 *     connection
 * @param serverPeerId the server's peer id while connected, else null
 * @param connection the number of the current (or last) connection, from 1; 0 before the first
 * @param lastProblem why the last connection ended or failed, or null
 */
public record RepoConnectionState(
        String peerId, boolean connected, String serverPeerId, int connection, String lastProblem) {
    /**
     * @param peerId this side's peer id
     * @return the state before the first connection
     */
    public static RepoConnectionState initial(String peerId) {
        return new RepoConnectionState(peerId, false, null, 0, null);
    }
}
