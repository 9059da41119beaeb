package dev.ensemble.collab.repo;

import dev.ensemble.core.ActorToken;

/**
 * The actions of a connection to an automerge-repo sync server ({@link RepoConnectionActor}): it
 * joins with its peer id, keeps the connection up (reconnecting with the same peer id), and carries
 * the messages of any number of documents. Collaboration actors whose settings name it with
 * {@link RepoSharing} sync their documents through it.
 *
 * <p>Its state is a {@link RepoConnectionState}; its events (names in {@link RepoEvents}) announce
 * the connection coming and going and deliver each document's messages.
 *
 * <pre>{@code
 * static final ActorToken<RepoConnection, RepoConnectionState> SERVER = RepoConnection.token("sync-server");
 * builder.add(SERVER, () -> new RepoConnectionActor(RepoConnectionSettings.builder(
 *         URI.create("ws://127.0.0.1:3030"), WebSocketBinarySockets.create(Duration.ofSeconds(10), 64 << 20))
 *         .build()));
 * }</pre>
 */
public interface RepoConnection {
    /**
     * @param name the actor's name
     * @return a token for a connection actor
     */
    static ActorToken<RepoConnection, RepoConnectionState> token(String name) {
        return ActorToken.of(name, RepoConnection.class, RepoConnectionState.class);
    }

    /**
     * Sends a {@code sync} (or, if {@code request}, a {@code request}) for a document to the
     * server. Dropped, with a debug log, unless the connection is still the one numbered
     * {@code connection} (from {@link RepoEvents.Connected}): a sync message belongs to the sync
     * state of one connection. Tell.
     *
     * @param connection the connection number the message was made for
     * @param documentId the document
     * @param data an Automerge sync message (non-empty)
     * @param request true to send it as {@code request} ("I do not have this document")
     */
    void sendSync(int connection, DocumentId documentId, byte[] data, boolean request);

    /**
     * Sends an {@code ephemeral} message about a document to the server, which forwards it to the
     * document's other peers. Dropped while not connected. Tell.
     *
     * @param documentId the document
     * @param data the application's message, CBOR-encoded (non-empty)
     */
    void sendEphemeral(DocumentId documentId, byte[] data);
}
