package dev.ensemble.remote.inspect;

import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.remote.RemoteActors;
import dev.ensemble.transport.PeerId;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command line needs to inspect a node elsewhere, made by {@link RemoteInspection#connect}:
 * a relay transport in the signaling server's room with this shell's did:key, a node ({@link
 * RemoteActors}) on it, and the session with the inspected node. It is the session: {@link
 * #request} and the sink work as in {@link RemoteInspectionSession}. {@link #close()} closes the
 * session, the node and the transport.
 *
 * <p>Thread-safe, as {@link RemoteInspectionSession}.
 */
public final class RemoteInspectionConnection implements InspectionSession {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteInspectionConnection.class);

    private final ActorSystem system;
    private final RemoteActors remote;
    private final RemoteInspectionSession session;
    private final PeerId self;

    RemoteInspectionConnection(ActorSystem system, RemoteActors remote, RemoteInspectionSession session, PeerId self) {
        this.system = system;
        this.remote = remote;
        this.session = session;
        this.self = self;
    }

    /** @return the session with the inspected node */
    public RemoteInspectionSession session() {
        return session;
    }

    /** @return this shell's did:key, as the node sees it (what its operator grants) */
    public PeerId self() {
        return self;
    }

    /** @return the inspected node */
    public PeerId node() {
        return session.node();
    }

    /** @return completes with why the session ended; see {@link RemoteInspectionSession#ended()} */
    public CompletableFuture<String> ended() {
        return session.ended();
    }

    /**
     * Sends one request line; see {@link RemoteInspectionSession#request}.
     *
     * @param line one JSON object, without its line terminator
     */
    @Override
    public void request(String line) {
        session.request(line);
    }

    /** Closes the session, then the node and its transport. Idempotent. */
    @Override
    public void close() {
        try {
            session.close();
        } finally {
            remote.close();
            system.close();
            LOG.debug("inspection connection to node {} closed", session.node().shortForm());
        }
    }
}
