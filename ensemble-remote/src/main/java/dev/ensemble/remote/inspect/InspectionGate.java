package dev.ensemble.remote.inspect;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * INTERNAL API: the wire actions of the inspection service, {@value #NAME}. Public only because
 * remote clients need a public interface; use {@link RemoteInspection} instead.
 *
 * <p>Every call runs on the calling node's own gate (its did:key, as the transport verified it):
 * a session id names a session of that node only, so a node can neither read nor drive another
 * node's sessions.
 */
public interface InspectionGate {
    /** The service's name on the wire. */
    String NAME = "ensemble.inspect";

    /**
     * Opens a session with the access granted to the calling node. Its hello is the first line the
     * first {@link #poll} returns.
     *
     * @return the session's id, unique on this node for the calling node
     */
    CompletableFuture<Long> open();

    /**
     * One request line of the protocol (a tell: its reply arrives through {@link #poll}).
     *
     * @param session the id from {@link #open}
     * @param line the request, without its line terminator
     */
    void request(long session, String line);

    /**
     * The next lines of the session, in order, waiting up to {@code waitMillis} for the first;
     * empty if none came meanwhile. Fails once the session has ended and its last lines were taken,
     * with an {@link InspectionEndedException} whose message says why.
     *
     * @param session the id from {@link #open}
     * @param waitMillis how long to wait for a line, clamped to 0..10,000
     * @return the lines, oldest first
     */
    CompletableFuture<List<String>> poll(long session, long waitMillis);

    /**
     * Ends a session (its traces and watches stop). Idempotent.
     *
     * @param session the id from {@link #open}
     */
    void close(long session);
}
