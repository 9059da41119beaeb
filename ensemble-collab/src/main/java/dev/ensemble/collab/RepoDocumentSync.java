package dev.ensemble.collab;

import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.RepoConnection;
import dev.ensemble.collab.repo.RepoEvents;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.collab.repo.RepoSharing;
import dev.ensemble.collab.sync.Heads;
import dev.ensemble.collab.sync.RejectedInputException;
import dev.ensemble.collab.sync.SyncDocument;
import dev.ensemble.core.Cancellable;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automerge-repo conversation of one document with its sync server, for a
 * {@link CollaborationActor} whose settings name a {@link RepoSharing}: one Automerge sync state
 * per connection, started when the server answers {@code join}; a {@code request} first when the
 * document is still empty and is to be found, else {@code sync}; one reply to every message the
 * server sends; a round after every batch of local changes. Only {@code doc-unavailable} (or no
 * document within the find timeout, counted from {@link #start()}) means "the server does not have
 * it": a sync message without heads may come first.
 *
 * <p><em>Not thread-safe</em>: owned by the actor and called in its turns only.
 */
final class RepoDocumentSync {
    private static final Logger LOG = LoggerFactory.getLogger(RepoDocumentSync.class);

    /** What the conversation needs from its actor; called in the actor's turns. */
    interface Host {
        RepoConnection connection();

        Cancellable schedule(Duration delay, Runnable task);

        /** Input from the server changed the document. */
        void changed(String server);

        /** Input from the server was dropped. */
        void rejected(String server, String problem);

        /** The server does not have the document (or did not answer in time). */
        void unavailable(String reason);
    }

    private final DocumentId documentId;
    private final SyncDocument document;
    private final RepoSharing sharing;
    private final Host host;

    private int connection;
    private String server;
    private SyncDocument.PeerState peer;
    private Cancellable findTimer;
    /** The server answered {@code join} at least once. */
    private boolean everConnected;
    /** Unavailability was reported for the current wait; reset once the document has arrived. */
    private boolean reportedUnavailable;

    RepoDocumentSync(DocumentId documentId, SyncDocument document, RepoSharing sharing, Host host) {
        this.documentId = documentId;
        this.document = document;
        this.sharing = sharing;
        this.host = host;
    }

    /**
     * Starts the find timeout of a document still to be found: counted from here, not from the
     * connection, so that a server that never answers {@code join} (a wrong URL, a server that
     * speaks another protocol) ends in "unavailable" too rather than in a wait without end.
     */
    void start() {
        if (sharing.find() && document.heads().isEmpty()) {
            findTimer = host.schedule(sharing.findTimeout(), () -> {
                findTimer = null;
                if (document.heads().isEmpty()) {
                    unavailable(
                            server == null && !everConnected
                                    ? "could not join the server within "
                                            + sharing.findTimeout().toMillis() + " ms"
                                    : "no answer from the server within "
                                            + sharing.findTimeout().toMillis() + " ms");
                }
            });
        }
    }

    /** The connection joined: the conversation starts over with a fresh sync state. */
    void connected(RepoEvents.Connected connected) {
        freePeer();
        connection = connected.connection();
        server = connected.serverPeerId();
        everConnected = true;
        peer = document.newPeerState();
        send(sharing.find() && document.heads().isEmpty());
    }

    /** The connection ended; a new one starts over. */
    void disconnected() {
        freePeer();
        server = null;
    }

    /** A message of this document from the server. */
    void received(RepoMessage message) {
        if (message instanceof RepoMessage.Sync sync) {
            receive(sync.senderId(), sync.data());
        } else if (message instanceof RepoMessage.Request request) {
            receive(request.senderId(), request.data());
        } else if (message instanceof RepoMessage.DocUnavailable) {
            if (document.heads().isEmpty()) {
                unavailable("the server has no document " + documentId.url() + " (doc-unavailable)");
            }
        } else if (message instanceof RepoMessage.Ephemeral ephemeral) {
            LOG.debug(
                    "document {}: ignored an ephemeral message from {} (not bridged)",
                    documentId,
                    ephemeral.senderId());
        }
    }

    /** After local changes (or merged ones): the server hears of them. */
    void flush() {
        send(false);
    }

    /** Frees the sync state. */
    void close() {
        freePeer();
        if (findTimer != null) {
            findTimer.cancel();
            findTimer = null;
        }
    }

    private void receive(String from, byte[] data) {
        if (peer == null) {
            LOG.debug("document {}: ignored a sync message from {} between connections", documentId, from);
            return;
        }
        Heads before = document.heads();
        try {
            document.receiveSyncMessage(peer, data);
        } catch (RejectedInputException e) {
            host.rejected(from, e.getMessage() + "; sync with the server starts over");
            freePeer();
            peer = document.newPeerState();
            if (!before.equals(document.heads())) {
                host.changed(from);
            }
            send(false);
            return;
        }
        if (!before.equals(document.heads())) {
            if (findTimer != null) {
                findTimer.cancel();
                findTimer = null;
            }
            reportedUnavailable = false;
            host.changed(from);
        }
        send(false);
    }

    private void send(boolean request) {
        if (peer == null) {
            return;
        }
        Optional<byte[]> message = document.generateSyncMessage(peer);
        message.ifPresent(data -> host.connection().sendSync(connection, documentId, data, request));
    }

    private void unavailable(String reason) {
        if (findTimer != null) {
            findTimer.cancel();
            findTimer = null;
        }
        if (!reportedUnavailable) {
            reportedUnavailable = true;
            host.unavailable(reason);
        }
    }

    private void freePeer() {
        if (peer != null) {
            peer.free();
            peer = null;
        }
    }
}
