package dev.ensemble.collab.repo;

/**
 * What a {@link RepoEphemeralBridge} has done so far: its state. Immutable.
 *
 * @param sent messages broadcast through it
 * @param fromRoom messages delivered from the room's peers
 * @param fromServer messages delivered from the server's other clients
 * @param duplicates messages from the server dropped because their sender is a room peer, whose
 *     message the room delivers
 * @param rejected messages from the server dropped because their data is too large or not CBOR of
 *     a JSON value
 */
public record RepoEphemeralStatus(long sent, long fromRoom, long fromServer, long duplicates, long rejected) {
    /** Nothing yet. */
    public static final RepoEphemeralStatus EMPTY = new RepoEphemeralStatus(0, 0, 0, 0, 0);

    RepoEphemeralStatus withSent() {
        return new RepoEphemeralStatus(sent + 1, fromRoom, fromServer, duplicates, rejected);
    }

    RepoEphemeralStatus withFromRoom() {
        return new RepoEphemeralStatus(sent, fromRoom + 1, fromServer, duplicates, rejected);
    }

    RepoEphemeralStatus withFromServer() {
        return new RepoEphemeralStatus(sent, fromRoom, fromServer + 1, duplicates, rejected);
    }

    RepoEphemeralStatus withDuplicate() {
        return new RepoEphemeralStatus(sent, fromRoom, fromServer, duplicates + 1, rejected);
    }

    RepoEphemeralStatus withRejected() {
        return new RepoEphemeralStatus(sent, fromRoom, fromServer, duplicates, rejected + 1);
    }
}
