package dev.ensemble.collab.repo;

import dev.ensemble.core.Actor;
import dev.ensemble.core.Cancellable;
import dev.ensemble.transport.BinarySocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to an automerge-repo sync server, as an actor: it opens the socket, sends
 * {@code join} with its peer id and metadata, waits for {@code peer}, and then carries the
 * messages of every document that syncs through it. When the connection ends it reconnects
 * (after {@link RepoConnectionSettings#reconnect()}'s delays) with the <em>same</em> peer id, so
 * the server replaces the old connection instead of seeing a second peer; documents then start
 * their sync over, as automerge-repo's own client does.
 *
 * <h2>What it checks</h2>
 * Frames from the server are decoded by {@link RepoCodec}; a malformed one is dropped with a
 * warning and a {@link RepoEvents#ERROR} event (the JavaScript client drops them too), an unknown
 * type with a debug log. An {@code error} message (the server refuses our protocol version) is
 * logged and emitted; the server closes the connection after it. Messages of documents are
 * delivered as {@link RepoEvents#document} events to whoever syncs that document.
 *
 * <h2>Threading</h2>
 * Socket callbacks arrive on the socket's thread and only enqueue to this actor's mailbox; a
 * callback of a connection that has been replaced is ignored. All state is touched in turns.
 */
public final class RepoConnectionActor extends Actor<RepoConnectionState> implements RepoConnection {
    private static final Logger LOG = LoggerFactory.getLogger(RepoConnectionActor.class);

    private final RepoConnectionSettings settings;
    /**
     * The server's URI for log lines and events, without its query: an access token travels there
     * ({@code ?token=}), and a log is no place for a credential.
     */
    private final String server;

    // Turn-owned.
    private Executor mailbox;
    private BinarySocket socket;
    private int connection;
    private boolean joined;
    private String serverPeerId;
    private int failures;
    private Cancellable reconnectTimer;
    private boolean stopped;
    private long ephemeralCount;
    private final String sessionId = Long.toString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE, 36);

    /** @param settings where to connect and as whom */
    public RepoConnectionActor(RepoConnectionSettings settings) {
        super(RepoConnectionState.initial(settings.peerId()));
        this.settings = settings;
        this.server = withoutQuery(settings.server());
    }

    /** @return the URI with its query, if any, replaced by {@code ?…} */
    static String withoutQuery(java.net.URI uri) {
        String text = uri.toString();
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query) + "?…";
    }

    @Override
    protected void onStart() {
        mailbox = mailboxExecutor();
        connect();
    }

    @Override
    protected void onStop() {
        stopped = true;
        if (reconnectTimer != null) {
            reconnectTimer.cancel();
        }
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    // ------------------------------------------------------------------ actions

    @Override
    public void sendSync(int connection, DocumentId documentId, byte[] data, boolean request) {
        if (connection != this.connection || !joined) {
            LOG.debug(
                    "{}: dropped a sync message for {} made for connection {} (now {}, joined: {})",
                    server,
                    documentId,
                    connection,
                    this.connection,
                    joined);
            return;
        }
        send(
                request
                        ? new RepoMessage.Request(settings.peerId(), serverPeerId, documentId, data)
                        : new RepoMessage.Sync(settings.peerId(), serverPeerId, documentId, data));
    }

    @Override
    public void sendEphemeral(DocumentId documentId, byte[] data) {
        if (!joined) {
            LOG.debug("{}: dropped an ephemeral message for {}: not connected", server, documentId);
            return;
        }
        send(new RepoMessage.Ephemeral(settings.peerId(), serverPeerId, documentId, ++ephemeralCount, sessionId, data));
    }

    private void send(RepoMessage message) {
        byte[] frame;
        try {
            frame = settings.codec().encode(message);
        } catch (RepoProtocolException e) {
            LOG.warn("{}: cannot send {}: {}", server, message, e.getMessage());
            emit(RepoEvents.ERROR, "cannot send " + message.type() + ": " + e.getMessage());
            return;
        }
        if (!socket.send(frame)) {
            LOG.debug("{}: socket refused {} (closing)", server, message);
        }
    }

    // ------------------------------------------------------------------ the connection

    private void connect() {
        reconnectTimer = null;
        if (stopped) {
            return;
        }
        int attempt = ++connection;
        joined = false;
        serverPeerId = null;
        setState(new RepoConnectionState(settings.peerId(), false, null, attempt, state().lastProblem()));
        LOG.debug("{}: connecting (connection {}) as {}", server, attempt, settings.peerId());
        socket = settings.sockets().connect(settings.server(), new BinarySocket.Listener() {
            @Override
            public void opened() {
                mailbox.execute(() -> onOpened(attempt));
            }

            @Override
            public void message(byte[] message) {
                mailbox.execute(() -> onFrame(attempt, message));
            }

            @Override
            public void closed(String reason) {
                mailbox.execute(() -> onClosed(attempt, reason));
            }
        });
    }

    private void onOpened(int attempt) {
        if (attempt != connection || socket == null) {
            return;
        }
        send(new RepoMessage.Join(settings.peerId(), settings.metadata(), List.of(RepoMessage.PROTOCOL_VERSION)));
    }

    private void onFrame(int attempt, byte[] frame) {
        if (attempt != connection || socket == null) {
            return;
        }
        RepoMessage message;
        try {
            message = settings.codec().decode(frame);
        } catch (UnknownMessageTypeException e) {
            LOG.debug("{}: dropped a message of unknown type \"{}\"", server, e.type());
            return;
        } catch (RepoProtocolException e) {
            LOG.warn("{}: dropped a malformed frame of {} bytes: {}", server, frame.length, e.getMessage());
            emit(RepoEvents.ERROR, "malformed frame from the server: " + e.getMessage());
            return;
        }
        if (message instanceof RepoMessage.Peer peer) {
            if (!RepoMessage.PROTOCOL_VERSION.equals(peer.selectedProtocolVersion())) {
                problem("the server selected protocol version \"" + peer.selectedProtocolVersion()
                        + "\"; only \"1\" is spoken here");
                socket.close();
                return;
            }
            joined = true;
            serverPeerId = peer.senderId();
            failures = 0;
            setState(new RepoConnectionState(settings.peerId(), true, serverPeerId, connection, null));
            LOG.info("{}: joined server {} as {} (connection {})", server, serverPeerId, settings.peerId(), connection);
            emit(RepoEvents.CONNECTED, new RepoEvents.Connected(connection, serverPeerId, peer.peerMetadata()));
        } else if (message instanceof RepoMessage.ErrorMessage error) {
            problem("the server refused us: " + error.message());
        } else if (message instanceof RepoMessage.Sync sync) {
            emit(RepoEvents.document(sync.documentId()), message);
        } else if (message instanceof RepoMessage.Request request) {
            emit(RepoEvents.document(request.documentId()), message);
        } else if (message instanceof RepoMessage.DocUnavailable unavailable) {
            emit(RepoEvents.document(unavailable.documentId()), message);
        } else if (message instanceof RepoMessage.Ephemeral ephemeral) {
            emit(RepoEvents.document(ephemeral.documentId()), message);
        } else {
            // join (we are not a server) and the remote heads gossip (not implemented; off by
            // default in automerge-repo).
            LOG.debug("{}: ignored {}", server, message.type());
        }
    }

    private void problem(String problem) {
        LOG.warn("{}: {}", server, problem);
        setState(new RepoConnectionState(settings.peerId(), joined, serverPeerId, connection, problem));
        emit(RepoEvents.ERROR, problem);
    }

    private void onClosed(int attempt, String reason) {
        if (attempt != connection || stopped) {
            return;
        }
        boolean wasJoined = joined;
        socket = null;
        joined = false;
        serverPeerId = null;
        String lastProblem = state().lastProblem() != null ? state().lastProblem() : reason;
        setState(new RepoConnectionState(settings.peerId(), false, null, connection, lastProblem));
        Duration delay = settings.reconnect().delay(++failures);
        if (wasJoined) {
            LOG.info("{}: connection {} ended ({}); reconnecting in {} ms", server, attempt, reason, delay.toMillis());
            emit(RepoEvents.DISCONNECTED, reason);
        } else {
            LOG.debug("{}: connection {} failed ({}); retrying in {} ms", server, attempt, reason, delay.toMillis());
        }
        reconnectTimer = scheduleOnce(delay, this::connect);
    }
}
