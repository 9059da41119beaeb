package dev.ensemble.remote.inspect;

import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.inspect.Inspector;
import dev.ensemble.remote.RemoteActors;
import dev.ensemble.remote.RemoteCallException;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Inspecting a node from another machine, over ensemble-remote: the node serves its {@link
 * Inspector} to the did:keys it grants, and a shell attaches to it. The lines are those of the
 * inspection protocol (docs/SHELL.md, "Protocol"); how they travel is in {@link InspectionService}.
 *
 * <h2>Serving</h2>
 *
 * <pre>{@code
 * RemoteActors remote = RemoteActors.builder(system, transport).start();
 * InspectionService inspection = RemoteInspection.serve(remote, inspector,
 *     InspectionGrants.none().grant(InspectionAccess.READ, alice).grant(InspectionAccess.WRITE, operator));
 * // ... inspection.close() withdraws it and ends every session
 * }</pre>
 *
 * Nobody may attach unless granted: a node without a grant is refused before any session opens,
 * and nothing it sends reaches the inspector.
 *
 * <h2>Attaching: a command line</h2>
 *
 * {@code ensemble-shell --server ws://HOST:PORT --room ROOM --node DID} is one call:
 *
 * <pre>{@code
 * try (RemoteInspectionConnection node = RemoteInspection.connect(
 *         URI.create("ws://10.0.0.7:8080/"), "piano-room", PeerId.parse(did),
 *         PeerIdentity.loadOrCreate(keyFile),           // or PeerIdentity.generate()
 *         line -> out.println(line),                     // hello first, then replies and events
 *         Duration.ofSeconds(10))) {
 *     node.request("{\"id\":1,\"op\":\"ls\",\"path\":\"/\",\"long\":true}");
 *     // ... node.ended() completes if the node goes away
 * } catch (RemoteInspectionException e) {
 *     System.err.println(e.getMessage());                // REFUSED, BUSY, UNREACHABLE, FAILED
 * }
 * }</pre>
 *
 * <h2>Attaching: from a node you already run</h2>
 *
 * <pre>{@code
 * RemoteInspectionSession session = RemoteInspection.attach(remote, node, sink).join();
 * }</pre>
 */
public final class RemoteInspection {
    /** The longest line of the protocol: 1 MiB of UTF-8. */
    public static final int MAX_LINE_BYTES = 1024 * 1024;

    private RemoteInspection() {}

    /**
     * Serves {@code inspector} to the nodes {@code grants} allows, with the default limits.
     *
     * @param remote this node
     * @param inspector what to serve
     * @param grants each verified did:key's access, or empty to refuse it (for example {@link
     *     InspectionGrants}); asked on every call, so it must be cheap and thread-safe
     * @return the service; close it to stop serving
     */
    public static InspectionService serve(
            RemoteActors remote, Inspector inspector, Function<PeerId, Optional<InspectionAccess>> grants) {
        return serve(remote, inspector, grants, InspectionLimits.defaults());
    }

    /**
     * Serves {@code inspector} to the nodes {@code grants} allows.
     *
     * @param remote this node
     * @param inspector what to serve
     * @param grants each verified did:key's access, or empty to refuse it
     * @param limits sessions and lines in flight
     * @return the service; close it to stop serving
     */
    public static InspectionService serve(
            RemoteActors remote,
            Inspector inspector,
            Function<PeerId, Optional<InspectionAccess>> grants,
            InspectionLimits limits) {
        return new InspectionService(
                Objects.requireNonNull(remote, "remote"),
                Objects.requireNonNull(inspector, "inspector"),
                Objects.requireNonNull(grants, "grants"),
                Objects.requireNonNull(limits, "limits"));
    }

    /**
     * Opens a session with the inspector of {@code node}, which must be connected.
     *
     * @param remote this shell's node
     * @param node the node to inspect
     * @param sink receives the node's lines in order, its hello first; called one line at a time
     * @return completes with the session, or fails with a {@link RemoteInspectionException} (wrapped
     *     in a {@link java.util.concurrent.CompletionException} by {@code join}): {@code REFUSED}
     *     without a grant, {@code BUSY}, {@code UNREACHABLE}
     */
    public static CompletableFuture<RemoteInspectionSession> attach(
            RemoteActors remote, PeerId node, Consumer<String> sink) {
        return RemoteInspectionSession.attach(remote, node, sink);
    }

    /**
     * Everything {@code ensemble-shell --server URI --room ROOM --node DID} needs: joins the room of
     * the signaling server at {@code server} through its relay with {@code identity}, waits for
     * {@code node} to be connected, and attaches. Blocks up to {@code timeout}; on failure nothing is
     * left running.
     *
     * @param server the signaling server, {@code ws://HOST:PORT/} or {@code wss://...}
     * @param room the room the node is in
     * @param node the node's did:key
     * @param identity this shell's identity: the did:key the node grants (a fresh one has no grant
     *     unless the node grants everyone)
     * @param sink receives the node's lines in order, its hello first
     * @param timeout how long to wait for the node and the session
     * @return the connection; close it to close everything
     * @throws RemoteInspectionException {@code UNREACHABLE} if the node is not connected in time,
     *     {@code REFUSED}, {@code BUSY} or {@code FAILED}
     */
    public static RemoteInspectionConnection connect(
            URI server, String room, PeerId node, PeerIdentity identity, Consumer<String> sink, Duration timeout) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        ActorSystem system = ActorSystem.builder("ensemble-shell").start();
        RemoteActors remote = null;
        try {
            WebSocketTransport transport = WebSocketTransport.create(
                    WebSocketTransportConfig.builder(server, room, identity).build());
            remote = RemoteActors.builder(system, transport).start();
            awaitUp(remote, node, deadline, server, room, timeout);
            RemoteInspectionSession session =
                    attach(remote, node, sink).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return new RemoteInspectionConnection(system, remote, session, identity.peerId());
        } catch (RuntimeException | InterruptedException | ExecutionException | TimeoutException e) {
            if (remote != null) {
                remote.close();
            }
            system.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw connectFailure(node, server, room, timeout, e);
        }
    }

    /**
     * Waits for the node to be connected: its first connection comes when both are in the room. A
     * ten-millisecond check is enough for a command line that starts once.
     */
    private static void awaitUp(
            RemoteActors remote, PeerId node, long deadline, URI server, String room, Duration timeout)
            throws InterruptedException {
        while (!remote.isUp(node)) {
            if (System.nanoTime() - deadline > 0) {
                throw new RemoteInspectionException(
                        RemoteInspectionException.Reason.UNREACHABLE,
                        "node " + node + " was not connected within " + timeout.toMillis() + " ms in room \"" + room
                                + "\" of " + server + ": is it running, in that room, with that did:key?",
                        null);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static RemoteInspectionException connectFailure(
            PeerId node, URI server, String room, Duration timeout, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        cause = RemoteInspectionSession.unwrap(cause);
        if (cause instanceof RemoteInspectionException inspection) {
            return inspection;
        }
        if (cause instanceof TimeoutException) {
            return new RemoteInspectionException(
                    RemoteInspectionException.Reason.UNREACHABLE,
                    "node " + node + " did not answer the attach within " + timeout.toMillis() + " ms",
                    cause);
        }
        if (cause instanceof RemoteCallException) {
            return RemoteInspectionSession.attachFailure(node, cause);
        }
        return new RemoteInspectionException(
                RemoteInspectionException.Reason.FAILED,
                "could not attach to node " + node + " through room \"" + room + "\" of " + server + ": " + cause,
                cause);
    }
}
