package dev.ensemble.collab.repo.server;

import dev.ensemble.collab.repo.PeerMetadata;
import java.util.Objects;

/**
 * What a {@link RepoAccessPolicy} knows of a client that sent {@code join}. Immutable.
 *
 * @param peerId the peer id the client chose (automerge-repo peer ids are not authenticated: any
 *     client may claim any id, so grant nothing on the id alone)
 * @param metadata the {@code peerMetadata} of its {@code join}
 * @param token the access token the connection carried ({@code ?token=} in the WebSocket URL), or
 *     null
 * @param remote the connection, for log lines (e.g. its remote address)
 */
public record RepoPeerInfo(String peerId, PeerMetadata metadata, String token, String remote) {
    /** Checks the fields. */
    public RepoPeerInfo {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(remote, "remote");
    }

    @Override
    public String toString() {
        // The token is a secret: it stays out of log lines.
        return "RepoPeerInfo[" + peerId + " from " + remote + (token == null ? "" : ", with a token") + "]";
    }
}
