package dev.ensemble.collab.repo.server;

import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.collab.repo.RepoProtocolException;
import dev.ensemble.collab.repo.UnknownMessageTypeException;
import dev.ensemble.collab.repo.UntrustedText;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * One client connection of a {@link RepoSyncServer}, as {@link RepoSyncServer#open} returns it: the
 * socket's owner feeds it every binary message ({@link #received}) and tells it when the socket
 * closed ({@link #closed}).
 *
 * <h2>What it checks, before anything reaches a document</h2>
 * On the calling (socket) thread: the message's size (over
 * {@link RepoServerSettings#maxMessageBytes()}: closed with 1009), the connection's message rate
 * ({@link RepoServerSettings#messagesPerSecond()} with a burst; over it: closed with 1008) and the
 * CBOR ({@link dev.ensemble.collab.repo.RepoCodec}; malformed: closed with 1002). A well-formed
 * message of a type unknown here gets an {@code error} message and the connection stays open. Each
 * closing sends an {@code error} message naming the problem first. On the server's thread:
 * {@code join} first and once, {@code senderId} equal to the joined peer id, sync messages that
 * Automerge accepts, at most {@link RepoServerSettings#maxDocumentsPerConnection()} open documents,
 * {@code ephemeral} data of at most {@link RepoServerSettings#maxEphemeralBytes()}, and the grant
 * asked before a document is read; the connection is closed when its grant ends
 * ({@link RepoGrant#expiresAt()}).
 *
 * <h2>Threading</h2>
 * {@link #received} and {@link #closed} may be called from any thread (one at a time per
 * connection, in the socket's order); they decode and check, then hand the work to the server's
 * thread. The fields below marked so belong to that thread.
 */
public final class RepoServerSession {
    private final RepoSyncServer server;
    final RepoPeerLink link;
    final String token;
    private final long refillNanosPerMessage;
    private final long burstNanos;
    /** Socket thread: the rate limit's theoretical arrival time of the next message, in nanos (GCRA). */
    private long nextArrival;
    /** Set once the server decided to close the connection; its further input is ignored. */
    volatile boolean closing;

    /** Written once by the server thread at {@code join}; read by any thread for error messages and logs. */
    volatile String peerId;

    // Server thread only.
    RepoGrant grant;
    final Set<DocumentId> open = new LinkedHashSet<>();
    Future<?> joinTimer;
    /** Closes the connection when its grant ends; null if it never does. */
    Future<?> expiryTimer;

    boolean departed;

    RepoServerSession(RepoSyncServer server, RepoPeerLink link, String token, RepoServerSettings settings) {
        this.server = server;
        this.link = link;
        this.token = token;
        this.refillNanosPerMessage = 1_000_000_000L / settings.messagesPerSecond();
        this.burstNanos = refillNanosPerMessage * settings.messageBurst();
        this.nextArrival = System.nanoTime();
    }

    /**
     * One binary message from the client. Any thread, one call at a time per connection.
     *
     * @param frame the message's bytes; not kept after the call returns
     */
    public void received(byte[] frame) {
        if (closing) {
            return;
        }
        int limit = server.settings().maxMessageBytes();
        if (frame.length > limit) {
            server.fail(
                    this,
                    1009,
                    "a message of " + frame.length + " bytes exceeds this server's limit of " + limit
                            + " bytes; the connection is closed");
            return;
        }
        if (!takeToken()) {
            server.fail(
                    this,
                    1008,
                    "more than " + server.settings().messagesPerSecond()
                            + " messages per second (burst " + server.settings().messageBurst()
                            + ") from one connection; the connection is closed");
            return;
        }
        RepoMessage message;
        try {
            message = server.codec().decode(frame);
        } catch (UnknownMessageTypeException e) {
            server.unknownType(this, e.type());
            return;
        } catch (RepoProtocolException e) {
            server.fail(this, 1002, "malformed message (" + e.getMessage() + "); the connection is closed");
            return;
        }
        server.handle(this, message);
    }

    /**
     * The socket's owner refuses the connection for a reason of its own (a text frame, a frame over
     * the socket's limit): the client gets an {@code error} message naming the problem, then the
     * close. Any thread.
     *
     * @param code the WebSocket close code
     * @param problem what was wrong, readable by the client
     */
    public void refuse(int code, String problem) {
        if (!closing) {
            server.fail(this, code, problem);
        }
    }

    /** The socket closed, for whatever reason. Any thread. */
    public void closed() {
        closing = true;
        server.departed(this);
    }

    /**
     * A token bucket as the generic cell rate algorithm: one number, no lock (one caller at a time).
     * A message is allowed while the next arrival time runs less than a burst ahead of now.
     */
    private boolean takeToken() {
        long now = System.nanoTime();
        long arrival = nextArrival - now > 0 ? nextArrival : now;
        if (arrival - now > burstNanos - refillNanosPerMessage) {
            return false;
        }
        nextArrival = arrival + refillNanosPerMessage;
        return true;
    }

    /** @return the peer id it joined as, or "" before {@code join}. Any thread. */
    String peerIdOrEmpty() {
        return peerId == null ? "" : peerId;
    }

    @Override
    public String toString() {
        String known = peerId;
        // The peer id is the client's own text, and this string goes into log lines: escaped, so a
        // client cannot write a line of its own into the server's log.
        return (known == null ? "unjoined client" : "peer \"" + UntrustedText.printable(known) + "\"") + " ("
                + link.describe() + ")";
    }
}
