package dev.ensemble.collab.repo.server;

import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.PeerMetadata;
import dev.ensemble.collab.repo.RepoCodec;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.collab.repo.RepoProtocolException;
import dev.ensemble.collab.repo.UntrustedText;
import dev.ensemble.collab.storage.DocumentStorage;
import dev.ensemble.collab.storage.FileDocumentStorage;
import dev.ensemble.collab.storage.InMemoryDocumentStorage;
import dev.ensemble.collab.storage.StorageException;
import dev.ensemble.transport.OwnerThread;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An automerge-repo sync server, without the socket: it does what the reference sync server (a
 * JavaScript {@code Repo} with a WebSocket server adapter, file storage and a share policy that
 * announces nothing) does, so automerge-repo clients can use it unchanged.
 *
 * <ul>
 *   <li>{@code join} is answered with {@code peer} (protocol version 1; a client that does not
 *       speak it gets {@code error} "unsupported protocol version" and is closed). A second
 *       connection with the same peer id replaces the first.</li>
 *   <li>Every document a client sends ({@code sync}) or asks for ({@code request}) is synced with
 *       it: one Automerge sync state per client and document, one reply to every message, and a
 *       round to the document's other clients whenever it changed.</li>
 *   <li>What a client sends is saved in the {@link DocumentStorage} (fsynced) before the reply
 *       goes out, so a reply means "stored"; the log is compacted every
 *       {@link RepoServerSettings#compactEvery()} changes.</li>
 *   <li>A {@code request} for a document the server does not hold is answered with
 *       {@code doc-unavailable}; the client stays subscribed, and hears of the document if another
 *       client creates it later.</li>
 *   <li>{@code ephemeral} messages are forwarded, unchanged but for {@code targetId}, to the
 *       document's other clients. The remote heads gossip is ignored (off by default in
 *       automerge-repo).</li>
 *   <li>Who may join and open what is the {@link RepoAccessPolicy}'s decision.</li>
 * </ul>
 * A document is held in memory while a client has it open and freed when the last one leaves.
 * What a client sends that is not valid is answered with an {@code error} message naming the
 * problem and, except for an unknown type, the connection is closed; nothing else is affected
 * (see {@link RepoServerSession}).
 *
 * <h2>Threading</h2>
 * All documents, sync states and the table of peers belong to one thread,
 * {@code automerge-repo-server}; {@link RepoServerSession}s hand their decoded messages to it.
 * Storage writes run there too, so a slow disk slows every document (the price of a reply that
 * means "stored"). {@link #open} and {@link #close} may be called from any thread.
 *
 * <pre>{@code
 * RepoSyncServer server = RepoSyncServer.start(RepoServerSettings.builder().dataDirectory(dir).build());
 * RepoServerSession session = server.open(link, tokenFromUrl);   // per WebSocket connection
 * session.received(frame);                                       // per binary message
 * session.closed();                                              // when the socket closed
 * server.close();
 * }</pre>
 */
public final class RepoSyncServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepoSyncServer.class);
    /** The file, in the data directory, that holds the server's storage id across restarts. */
    static final String STORAGE_ID_FILE = "automerge-repo-storage-id";

    private final RepoServerSettings settings;
    private final RepoCodec codec;
    private final DocumentStorage storage;
    private final PeerMetadata metadata;
    private final OwnerThread thread;

    // Server thread only.
    private final Map<String, RepoServerSession> peers = new HashMap<>();
    private final Map<DocumentId, ServedDocument> documents = new HashMap<>();
    private final List<RepoServerSession> sessions = new ArrayList<>();
    /**
     * Documents in memory whose change log the storage may hold open, least recently written
     * first; at most {@link RepoServerSettings#maxOpenChangeLogs()}.
     */
    private final LinkedHashSet<DocumentId> openLogs = new LinkedHashSet<>();

    private boolean closed;

    private RepoSyncServer(RepoServerSettings settings, DocumentStorage storage, String storageId) {
        this.settings = settings;
        this.codec = RepoCodec.withMaxFrameBytes(settings.maxMessageBytes());
        this.storage = storage;
        // A client keeps its sync state with a server that names a storage id; one without storage
        // must not invite that, so it names none.
        this.metadata = new PeerMetadata(storageId, false);
        this.thread = OwnerThread.start("automerge-repo-server");
    }

    /**
     * Starts a server: with a data directory, on a {@link FileDocumentStorage} there (created if
     * missing, locked against a second server); without one, in memory, with a warning logged.
     *
     * @param settings what to run with
     * @return the running server
     * @throws StorageException if the data directory cannot be opened or is locked by another server
     */
    public static RepoSyncServer start(RepoServerSettings settings) throws StorageException {
        Path directory = settings.dataDirectory();
        if (directory == null) {
            LOG.warn("automerge-repo documents are kept in memory only and are lost when the server stops:"
                    + " give a data directory (--data DIR) to keep them");
            return new RepoSyncServer(settings, new InMemoryDocumentStorage(), null);
        }
        FileDocumentStorage storage = FileDocumentStorage.open(directory);
        String storageId;
        try {
            storageId = storageId(directory);
        } catch (IOException e) {
            storage.close();
            throw new StorageException("cannot read or write " + directory.resolve(STORAGE_ID_FILE) + ": " + e, e);
        }
        LOG.info("automerge-repo documents are stored in {} (storage id {})", directory, storageId);
        return new RepoSyncServer(settings, storage, storageId);
    }

    /** The storage id, kept in the data directory: clients key their saved sync state by it. */
    private static String storageId(Path directory) throws IOException {
        Path file = directory.resolve(STORAGE_ID_FILE);
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!text.isEmpty()) {
                return text;
            }
        }
        String created = UUID.randomUUID().toString();
        Path temporary = directory.resolve(STORAGE_ID_FILE + ".tmp");
        Files.writeString(temporary, created + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return created;
    }

    /** @return the settings it runs with */
    public RepoServerSettings settings() {
        return settings;
    }

    /** @return the storage id it announces in {@code peer}, or null when it keeps documents in memory */
    public String storageId() {
        return metadata.storageId();
    }

    RepoCodec codec() {
        return codec;
    }

    /**
     * A client connected. Thread-safe.
     *
     * @param link its socket
     * @param token the access token its connection carried, or null
     * @return the session to feed its messages to
     */
    public RepoServerSession open(RepoPeerLink link, String token) {
        RepoServerSession session = new RepoServerSession(this, link, token, settings);
        if (!thread.execute(() -> opened(session))) {
            session.closing = true;
            link.close(1001, "the server is stopping");
        }
        return session;
    }

    /**
     * Documents held in memory now (open by some client). Thread-safe; waits for the server's
     * thread.
     *
     * @return the count
     */
    public int documentsInMemory() {
        CompletableFuture<Integer> count = new CompletableFuture<>();
        if (!thread.execute(() -> count.complete(documents.size()))) {
            return 0;
        }
        try {
            return count.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        }
    }

    /**
     * Closes every connection (1001), frees the documents and closes the storage. Everything a
     * client sent was saved when it was answered, so nothing is lost. Idempotent; thread-safe.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (thread.execute(() -> {
            shutDown();
            done.complete(null);
        })) {
            try {
                done.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("the automerge-repo server did not stop within 30 s", e);
            }
        }
        thread.close();
    }

    // ------------------------------------------------------------------ the server thread

    private void opened(RepoServerSession session) {
        if (closed) {
            session.closing = true;
            session.link.close(1001, "the server is stopping");
            return;
        }
        sessions.add(session);
        session.joinTimer = thread.schedule(settings.joinTimeout(), () -> {
            if (session.peerId == null && !session.departed) {
                refuse(session, 1008, "no join within " + settings.joinTimeout().toMillis() + " ms; closing");
            }
        });
    }

    private void shutDown() {
        if (closed) {
            return;
        }
        closed = true;
        for (RepoServerSession session : List.copyOf(sessions)) {
            session.closing = true;
            session.link.close(1001, "the server is stopping");
            detach(session);
        }
        documents.values().forEach(ServedDocument::free);
        documents.clear();
        openLogs.clear();
        try {
            storage.close();
        } catch (StorageException e) {
            LOG.warn("closing the automerge-repo storage failed", e);
        }
    }

    /** A session's decoded message: handled on the server thread. Any thread. */
    void handle(RepoServerSession session, RepoMessage message) {
        thread.execute(() -> {
            if (!session.departed && !session.closing) {
                dispatch(session, message);
            }
        });
    }

    /**
     * A session broke a rule: an error message at once (from the calling thread, so that it goes out
     * before a close the socket may be about to send), then the close. Any thread.
     */
    void fail(RepoServerSession session, int code, String problem) {
        session.closing = true;
        LOG.info("{}: {}", session, problem);
        sendError(session, problem);
        thread.execute(() -> close(session, code, problem));
    }

    /** A well-formed message of an unknown type: told, not closed. Any thread. */
    void unknownType(RepoServerSession session, String type) {
        thread.execute(() -> {
            if (!session.departed) {
                LOG.debug("{}: dropped a message of unknown type \"{}\"", session, type);
                sendError(session, "unknown message type \"" + UntrustedText.printable(type) + "\"; it was dropped");
            }
        });
    }

    /** The socket closed. Any thread. */
    void departed(RepoServerSession session) {
        thread.execute(() -> detach(session));
    }

    private void dispatch(RepoServerSession session, RepoMessage message) {
        if (message instanceof RepoMessage.Join join) {
            join(session, join);
            return;
        }
        if (session.peerId == null) {
            refuse(session, 1002, "the first message must be join, but it was " + message.type());
            return;
        }
        if (!session.peerId.equals(message.senderId())) {
            refuse(
                    session,
                    1002,
                    "senderId \"" + UntrustedText.printable(message.senderId()) + "\" is not the peer id \""
                            + UntrustedText.printable(session.peerId)
                            + "\" this connection joined as");
            return;
        }
        if (message instanceof RepoMessage.Request request) {
            sync(session, request.documentId(), request.data(), true);
        } else if (message instanceof RepoMessage.Sync sync) {
            sync(session, sync.documentId(), sync.data(), false);
        } else if (message instanceof RepoMessage.Ephemeral ephemeral) {
            ephemeral(session, ephemeral);
        } else {
            // doc-unavailable (we never request from clients), the remote heads gossip (not kept, as
            // by the reference server), peer and error (a client has no business sending them).
            LOG.debug("{}: ignored {}", session, message.type());
        }
    }

    private void join(RepoServerSession session, RepoMessage.Join join) {
        if (session.peerId != null) {
            refuse(
                    session,
                    1002,
                    "this connection already joined as \"" + UntrustedText.printable(session.peerId) + "\"");
            return;
        }
        List<String> versions = join.supportedProtocolVersions();
        if (versions != null && !versions.contains(RepoMessage.PROTOCOL_VERSION)) {
            // The reference server's exact words, so clients that match on them keep working.
            send(
                    session,
                    new RepoMessage.ErrorMessage(settings.peerId(), join.senderId(), "unsupported protocol version"));
            close(session, 1002, "unsupported protocol version");
            return;
        }
        RepoGrant grant;
        Instant expiry;
        try {
            grant = settings.accessPolicy()
                    .admit(new RepoPeerInfo(
                            join.senderId(), join.peerMetadata(), session.token, session.link.describe()));
            if (grant == null) {
                throw new RepoAccessDeniedException("access denied");
            }
            // Asked here so that a grant that fails to say refuses the join, as a failing policy does.
            expiry = grant.expiresAt();
        } catch (RepoAccessDeniedException e) {
            LOG.info(
                    "{}: join of \"{}\" refused: {}",
                    session.link.describe(),
                    UntrustedText.printable(join.senderId()),
                    e.getMessage());
            send(session, new RepoMessage.ErrorMessage(settings.peerId(), join.senderId(), e.getMessage()));
            close(session, 1008, "access denied");
            return;
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: the access policy failed on the join of \"{}\"; refused",
                    session.link.describe(),
                    UntrustedText.printable(join.senderId()),
                    e);
            send(session, new RepoMessage.ErrorMessage(settings.peerId(), join.senderId(), "access denied"));
            close(session, 1008, "access denied");
            return;
        }
        if (session.joinTimer != null) {
            session.joinTimer.cancel(false);
        }
        RepoServerSession previous = peers.get(join.senderId());
        if (previous != null && previous != session) {
            LOG.info("{}: replaced by a new connection with the same peer id", previous);
            previous.closing = true;
            previous.link.close(1000, "replaced by a newer connection with the same peer id");
            detach(previous);
        }
        session.peerId = join.senderId();
        session.grant = grant;
        if (expiry != null) {
            Duration left = Duration.between(Instant.now(), expiry);
            session.expiryTimer = thread.schedule(
                    left.isNegative() ? Duration.ZERO : left,
                    () -> refuse(
                            session,
                            1008,
                            "this connection's access ended at " + expiry + "; reconnect with a new token"));
        }
        peers.put(session.peerId, session);
        send(session, new RepoMessage.Peer(settings.peerId(), session.peerId, metadata, RepoMessage.PROTOCOL_VERSION));
        LOG.debug("{}: joined", session);
    }

    private void sync(RepoServerSession session, DocumentId id, byte[] data, boolean request) {
        ServedDocument document = openFor(session, id);
        if (document == null) {
            return;
        }
        boolean changed;
        try {
            changed = document.receive(session, data);
        } catch (RuntimeException e) {
            refuse(
                    session,
                    1002,
                    "the sync message for " + id + " is not one Automerge accepts (" + e.getMessage()
                            + "); the connection is closed");
            return;
        }
        if (changed) {
            try {
                wrote(id);
                document.save();
            } catch (StorageException | RuntimeException e) {
                // Not reported as stored: the client is told, and the next change tries again.
                LOG.error("document {}: saving a change from {} failed", id, session, e);
                sendError(session, "the server could not store document " + id + " just now; it keeps it in memory");
            }
            for (RepoServerSession other : document.peers()) {
                if (other != session) {
                    sendSync(other, document);
                }
            }
        }
        if (request && !document.hasContent()) {
            send(session, new RepoMessage.DocUnavailable(settings.peerId(), session.peerId, id));
            return;
        }
        sendSync(session, document);
    }

    private void ephemeral(RepoServerSession session, RepoMessage.Ephemeral message) {
        int size = message.data() == null ? 0 : message.data().length;
        if (size > settings.maxEphemeralBytes()) {
            // Checked before anything is opened or forwarded: the data would go to every other client.
            refuse(
                    session,
                    1009,
                    "an ephemeral message with " + size + " bytes of data exceeds this server's limit of "
                            + settings.maxEphemeralBytes() + " bytes; the connection is closed");
            return;
        }
        ServedDocument document = openFor(session, message.documentId());
        if (document == null) {
            return;
        }
        for (RepoServerSession other : document.peers()) {
            if (other != session) {
                send(
                        other,
                        new RepoMessage.Ephemeral(
                                message.senderId(),
                                other.peerId,
                                message.documentId(),
                                message.count(),
                                message.sessionId(),
                                message.data()));
            }
        }
    }

    /**
     * The document, opened for the session if it was not yet: loaded if needed, checked against
     * the grant and the per-connection limit. Null when the session may not have it (it was told).
     */
    private ServedDocument openFor(RepoServerSession session, DocumentId id) {
        ServedDocument document = documents.get(id);
        if (document != null && document.hasPeer(session)) {
            return document;
        }
        if (session.open.size() >= settings.maxDocumentsPerConnection()) {
            refuse(
                    session,
                    1008,
                    "more than " + settings.maxDocumentsPerConnection()
                            + " documents open on one connection; the connection is closed");
            return null;
        }
        // The grant is asked before anything of the document is read: a client that may not have it
        // costs no load (a disk read and an Automerge parse on the thread every document shares), and
        // learns nothing from how long the answer took or from a document the server cannot read.
        boolean exists;
        try {
            exists = document != null ? document.hasContent() : storage.contains(id.toString());
        } catch (StorageException | RuntimeException e) {
            LOG.error("document {}: cannot look it up for {}", id, session, e);
            sendError(session, "the server cannot read document " + id + " just now");
            send(session, new RepoMessage.DocUnavailable(settings.peerId(), session.peerId, id));
            return null;
        }
        boolean allowed;
        try {
            allowed = session.grant.mayOpen(id, exists);
        } catch (RuntimeException e) {
            LOG.warn("{}: the access grant failed on document {}; refused", session, id, e);
            allowed = false;
        }
        if (!allowed) {
            LOG.debug("{}: may not open {}", session, id);
            // The same answer whether the document exists or not: a refusal reveals nothing.
            sendError(session, "document " + id + " is not available to this connection");
            send(session, new RepoMessage.DocUnavailable(settings.peerId(), session.peerId, id));
            return null;
        }
        boolean loaded = false;
        if (document == null) {
            try {
                document = ServedDocument.load(id, storage, settings.compactEvery());
            } catch (StorageException | RuntimeException e) {
                LOG.error("document {}: cannot be loaded for {}", id, session, e);
                sendError(session, "the server cannot read document " + id + " just now");
                send(session, new RepoMessage.DocUnavailable(settings.peerId(), session.peerId, id));
                return null;
            }
            loaded = true;
        }
        if (loaded) {
            documents.put(id, document);
        }
        document.addPeer(session);
        session.open.add(id);
        return document;
    }

    /**
     * A document is about to be written: it goes to the end of the open logs, and the least
     * recently written one beyond the limit has its log closed (its next write opens it again).
     */
    private void wrote(DocumentId id) {
        openLogs.remove(id);
        openLogs.add(id);
        if (openLogs.size() > settings.maxOpenChangeLogs()) {
            Iterator<DocumentId> eldest = openLogs.iterator();
            DocumentId closing = eldest.next();
            eldest.remove();
            // On this thread, between two operations on that document: release's contract.
            storage.release(closing.toString());
        }
    }

    private void sendSync(RepoServerSession session, ServedDocument document) {
        Optional<byte[]> message = document.syncMessageFor(session);
        message.ifPresent(
                data -> send(session, new RepoMessage.Sync(settings.peerId(), session.peerId, document.id(), data)));
    }

    private void sendError(RepoServerSession session, String text) {
        send(session, new RepoMessage.ErrorMessage(settings.peerId(), session.peerIdOrEmpty(), text));
    }

    private void send(RepoServerSession session, RepoMessage message) {
        byte[] frame;
        try {
            frame = codec.encode(message);
        } catch (RepoProtocolException e) {
            LOG.error("{}: cannot encode {}: {}", session, message, e.getMessage());
            return;
        }
        if (!session.link.send(frame) && !session.closing && !session.departed) {
            // A client that does not read what it is sent: closed in a task of its own, since the
            // caller may be going through the peers of a document.
            session.closing = true;
            thread.execute(() -> close(
                    session,
                    1008,
                    "the client does not read what it is sent (more than " + settings.maxQueuedBytes()
                            + " bytes wait for it)"));
        }
    }

    /** Tells the session why, closes it and lets go of its documents. Server thread. */
    private void refuse(RepoServerSession session, int code, String problem) {
        if (session.departed) {
            return;
        }
        LOG.info("{}: {}", session, problem);
        sendError(session, problem);
        close(session, code, problem);
    }

    private void close(RepoServerSession session, int code, String reason) {
        if (session.departed) {
            return;
        }
        session.closing = true;
        session.link.close(code, reason);
        detach(session);
    }

    /** Forgets a session: its sync states go, and documents nobody has open are freed. */
    private void detach(RepoServerSession session) {
        if (session.departed) {
            return;
        }
        session.departed = true;
        sessions.remove(session);
        if (session.joinTimer != null) {
            session.joinTimer.cancel(false);
        }
        if (session.expiryTimer != null) {
            session.expiryTimer.cancel(false);
        }
        if (session.peerId != null && peers.get(session.peerId) == session) {
            peers.remove(session.peerId);
        }
        for (DocumentId id : session.open) {
            ServedDocument document = documents.get(id);
            if (document == null) {
                continue;
            }
            document.removePeer(session);
            if (document.peerCount() == 0) {
                documents.remove(id);
                openLogs.remove(id);
                document.free();
            }
        }
        session.open.clear();
    }
}
