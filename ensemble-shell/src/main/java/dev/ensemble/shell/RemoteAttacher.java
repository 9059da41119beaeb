package dev.ensemble.shell;

import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.remote.inspect.RemoteInspection;
import dev.ensemble.remote.inspect.RemoteInspectionConnection;
import dev.ensemble.remote.inspect.RemoteInspectionException;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Attaches to a node elsewhere through ensemble-remote ({@link RemoteInspection#connect}): joins the
 * signaling server's room through its relay with the shell's did:key, waits for the node, and opens
 * an inspection session there. The node decides the access by the shell's did:key (docs/REMOTE.md,
 * "Inspecting a node"); a did:key it does not grant is refused before anything is opened.
 *
 * <p>Lines reach the shell on the remote layer's callback thread, one at a time; the session's end
 * (the node went down, stopped serving, or ended the session) is reported once as a disconnection,
 * exactly as a lost local socket.
 */
final class RemoteAttacher implements Attacher {
    private final URI server;
    private final String room;
    private final PeerId node;
    private final PeerIdentity identity;
    private final boolean freshIdentity;
    private final Duration timeout;

    /**
     * @param server the signaling server
     * @param room the room the node is in
     * @param node the node's did:key
     * @param identity the shell's identity
     * @param freshIdentity whether the identity was made for this run (no node can have granted it
     *     yet unless its operator was told it): refusals then say how to keep one
     * @param timeout how long to wait for the node and its session
     */
    RemoteAttacher(
            URI server, String room, PeerId node, PeerIdentity identity, boolean freshIdentity, Duration timeout) {
        this.server = Objects.requireNonNull(server, "server");
        this.room = Objects.requireNonNull(room, "room");
        this.node = Objects.requireNonNull(node, "node");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.freshIdentity = freshIdentity;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String describe() {
        return "node " + node + " in room \"" + room + "\" of " + server;
    }

    @Override
    public InspectionSession attach(Consumer<String> lines, Consumer<String> disconnected) throws AttachException {
        RemoteInspectionConnection connection;
        try {
            connection = RemoteInspection.connect(server, room, node, identity, lines, timeout);
        } catch (RemoteInspectionException e) {
            throw new AttachException(message(e), e);
        } catch (RuntimeException e) {
            throw new AttachException("attaching to " + describe() + " failed: " + e, e);
        }
        AtomicBoolean closedByShell = new AtomicBoolean();
        connection.ended().thenAccept(reason -> {
            if (!closedByShell.get()) {
                disconnected.accept("the session with node " + node + " ended: " + reason);
            }
        });
        return new InspectionSession() {
            @Override
            public void request(String line) {
                connection.request(line);
            }

            @Override
            public void close() {
                closedByShell.set(true);
                connection.close();
            }
        };
    }

    /** What the user reads for each reason, with what to do about it. */
    String message(RemoteInspectionException e) {
        return switch (e.reason()) {
            case REFUSED ->
                e.getMessage() + "; this shell's identity is " + identity.peerId()
                        + (freshIdentity
                                ? " (a fresh one for this run: keep one with --identity FILE and have the node grant it)"
                                : "");
            case BUSY -> e.getMessage() + "; try again when another shell has detached";
            case UNREACHABLE ->
                e.getMessage().contains(server.toString())
                        ? e.getMessage()
                        : e.getMessage() + " (signaling server " + server + ", room \"" + room + "\")";
            case FAILED -> e.getMessage();
        };
    }
}
