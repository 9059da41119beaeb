package dev.ensemble.collab.repo.server;

import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.PeerMetadata;
import dev.ensemble.collab.repo.RepoCodec;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.testkit.Await;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.SyncState;
import org.automerge.Transaction;

/**
 * An automerge-repo client in the test's thread: its documents and sync states, a session of the
 * server under test, and {@link #pump()} to carry messages both ways. Not thread-safe: the test
 * thread owns its Automerge objects.
 */
final class TestClient implements AutoCloseable {
    static final RepoCodec CODEC = RepoCodec.standard();

    static {
        new Document().free();
    }

    final String peerId;
    final TestLink link;
    final RepoServerSession session;
    final Map<DocumentId, Document> documents = new HashMap<>();
    final Map<DocumentId, SyncState> states = new HashMap<>();
    final Map<DocumentId, Boolean> unavailable = new HashMap<>();
    final java.util.List<RepoMessage.Ephemeral> ephemeral = new java.util.ArrayList<>();
    private String serverId;

    TestClient(RepoSyncServer server, String peerId, String token) {
        this.peerId = peerId;
        this.link = new TestLink(peerId);
        this.session = server.open(link, token);
    }

    TestClient(RepoSyncServer server, String peerId) {
        this(server, peerId, null);
    }

    /** Sends join and waits for peer; returns it. */
    RepoMessage.Peer join() {
        send(new RepoMessage.Join(peerId, PeerMetadata.EPHEMERAL, List.of("1")));
        RepoMessage first = Await.value("the server answers join of " + peerId, link::poll);
        if (!(first instanceof RepoMessage.Peer peer)) {
            throw new AssertionError("expected peer, got " + first);
        }
        serverId = peer.senderId();
        return peer;
    }

    void send(RepoMessage message) {
        session.received(CODEC.encode(message));
    }

    /** Creates a document holding key = value. */
    DocumentId create(String key, String value) {
        DocumentId id = DocumentId.random();
        Document document = new Document();
        documents.put(id, document);
        set(id, key, value);
        return id;
    }

    void set(DocumentId id, String key, String value) {
        try (Transaction tx = documents.get(id).startTransaction()) {
            tx.set(ObjectId.ROOT, key, value);
            tx.commit();
        }
    }

    /** Starts syncing a document (request if we have nothing of it). */
    void open(DocumentId id) {
        Document document = documents.computeIfAbsent(id, i -> new Document());
        SyncState state = states.computeIfAbsent(id, i -> new SyncState());
        boolean request = document.getHeads().length == 0;
        Optional<byte[]> message = document.generateSyncMessage(state);
        message.ifPresent(data -> send(
                request
                        ? new RepoMessage.Request(peerId, serverId, id, data)
                        : new RepoMessage.Sync(peerId, serverId, id, data)));
    }

    /** Takes what the server sent, applies it and answers; then sends what local changes need. */
    void pump() {
        RepoMessage message;
        while ((message = link.poll()) != null) {
            if (message instanceof RepoMessage.Sync sync) {
                Document document = documents.computeIfAbsent(sync.documentId(), i -> new Document());
                SyncState state = states.computeIfAbsent(sync.documentId(), i -> new SyncState());
                document.receiveSyncMessage(state, sync.data());
            } else if (message instanceof RepoMessage.DocUnavailable gone) {
                unavailable.put(gone.documentId(), true);
            } else if (message instanceof RepoMessage.Ephemeral e) {
                ephemeral.add(e);
            }
        }
        for (Map.Entry<DocumentId, SyncState> entry : states.entrySet()) {
            documents
                    .get(entry.getKey())
                    .generateSyncMessage(entry.getValue())
                    .ifPresent(data -> send(new RepoMessage.Sync(peerId, serverId, entry.getKey(), data)));
        }
    }

    /** The text or string at a root key, or null. */
    String get(DocumentId id, String key) {
        Document document = documents.get(id);
        if (document == null) {
            return null;
        }
        Optional<AmValue> value = document.get(ObjectId.ROOT, key);
        return value.isPresent() && value.get() instanceof AmValue.Str str ? str.getValue() : null;
    }

    /** Waits, pumping this client and the others (those that hold the value), until the key holds the value. */
    void awaitValue(DocumentId id, String key, String value, TestClient... others) {
        Await.until(
                peerId + " sees " + key + " = " + value,
                () -> {
                    for (TestClient other : others) {
                        other.pump();
                    }
                    pump();
                    return value.equals(get(id, key));
                },
                link::toString);
    }

    @Override
    public void close() {
        documents.values().forEach(Document::free);
        states.values().forEach(SyncState::free);
        session.closed();
    }
}
