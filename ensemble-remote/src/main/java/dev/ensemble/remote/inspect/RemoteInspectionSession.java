package dev.ensemble.remote.inspect;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.core.inspect.ProtocolLines;
import dev.ensemble.remote.RemoteActors;
import dev.ensemble.remote.RemoteCallException;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shell's session with the inspector of another node, made by {@link RemoteInspection#attach}.
 * {@link #request} sends a request line; the node's lines (its hello first, then replies and stream
 * events) reach the sink given to {@code attach}, in order.
 *
 * <p>The session ends when {@link #close()} is called, when the node goes down or ends it (it
 * stopped serving, or this shell left too many lines untaken); {@link #ended()} then completes with
 * the reason. A request after the end is answered at once with an {@code unavailable} error line; a
 * request line above 1 MiB with {@code too-large}; neither is sent.
 *
 * <h2>Threading</h2>
 * {@link #request} and {@link #close} may be called from any thread. The sink is called one line at
 * a time, on the remote layer's callback executor (or on the requesting thread for the errors above),
 * never after {@link #close} returns.
 */
public final class RemoteInspectionSession implements InspectionSession {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteInspectionSession.class);

    /** The token a client uses for the service (its state type is not used). */
    static final ActorToken<InspectionGate, Object> TOKEN =
            ActorToken.of(InspectionGate.NAME, InspectionGate.class, Object.class);
    /** How long the node holds a poll when no line waits. */
    static final long POLL_WAIT_MS = 1_000;
    /** A poll's ask timeout: its wait plus time for a batch of lines to cross a slow link. */
    static final Duration POLL_TIMEOUT = Duration.ofMillis(POLL_WAIT_MS).plusSeconds(30);

    private final InspectionGate gate;
    private final InspectionGate polls;
    private final PeerId node;
    private final long id;
    private final Consumer<String> sink;
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final Object sinkLock = new Object();
    /** Under sinkLock: the sink is not called again. */
    private boolean closed;

    private RemoteInspectionSession(
            InspectionGate gate, InspectionGate polls, PeerId node, long id, Consumer<String> sink) {
        this.gate = gate;
        this.polls = polls;
        this.node = node;
        this.id = id;
        this.sink = sink;
    }

    static CompletableFuture<RemoteInspectionSession> attach(RemoteActors remote, PeerId node, Consumer<String> sink) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(sink, "sink");
        ActorClient<InspectionGate, Object> client = remote.client(node, TOKEN);
        InspectionGate gate = client.actions();
        InspectionGate polls = client.withAskTimeout(POLL_TIMEOUT).actions();
        CompletableFuture<Long> opened;
        try {
            opened = gate.open();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(attachFailure(node, e));
        }
        return opened.handle((id, error) -> {
            if (error != null) {
                throw attachFailure(node, error);
            }
            RemoteInspectionSession session = new RemoteInspectionSession(gate, polls, node, id, sink);
            session.pollNext();
            return session;
        });
    }

    /** @return the inspected node */
    public PeerId node() {
        return node;
    }

    /**
     * @return completes, never exceptionally, with why the session ended: closed here, the node went
     *     down, or the node ended it
     */
    public CompletableFuture<String> ended() {
        return ended;
    }

    /**
     * Sends one request line of the protocol; its reply arrives at the sink. Never throws.
     *
     * @param line one JSON object, without its line terminator
     */
    @Override
    public void request(String line) {
        Objects.requireNonNull(line, "line");
        if (ended.isDone()) {
            emit(ProtocolLines.error(
                    ProtocolLines.leadingId(line),
                    "unavailable",
                    "the inspection session with node " + node.shortForm() + " has ended: " + ended.join()));
            return;
        }
        if (InspectionLines.longerThan(line, RemoteInspection.MAX_LINE_BYTES)) {
            emit(ProtocolLines.error(
                    ProtocolLines.leadingId(line),
                    "too-large",
                    "the request is more than " + RemoteInspection.MAX_LINE_BYTES
                            + " bytes (the protocol's bound on a line); it was not sent"));
            return;
        }
        try {
            gate.request(id, line);
        } catch (RuntimeException e) {
            emit(ProtocolLines.error(
                    ProtocolLines.leadingId(line),
                    "unavailable",
                    "the request could not be sent to node " + node.shortForm() + ": " + e.getMessage()));
        }
    }

    /** Ends the session on the node (its traces and watches stop); the sink hears nothing more. Idempotent. */
    @Override
    public void close() {
        synchronized (sinkLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ended.complete("closed by this shell");
        try {
            gate.close(id);
        } catch (RuntimeException e) {
            LOG.debug("could not tell node {} that session {} closed: {}", node.shortForm(), id, e.getMessage());
        }
    }

    private void pollNext() {
        if (ended.isDone()) {
            return;
        }
        CompletableFuture<List<String>> next;
        try {
            next = polls.poll(id, POLL_WAIT_MS);
        } catch (RuntimeException e) {
            end("could not ask node " + node.shortForm() + " for lines: " + e.getMessage());
            return;
        }
        next.whenComplete((lines, error) -> {
            if (error != null) {
                end(endReason(error), nodeMayHoldIt(error));
                return;
            }
            for (String line : lines) {
                emit(line);
            }
            pollNext();
        });
    }

    private void end(String reason) {
        end(reason, false);
    }

    /** @param tellNode whether the node may still hold the session (it ended here, not there) */
    private void end(String reason, boolean tellNode) {
        if (ended.complete(reason)) {
            LOG.info("inspection session {} with node {} ended: {}", id, node.shortForm(), reason);
            if (tellNode) {
                try {
                    gate.close(id);
                } catch (RuntimeException e) {
                    LOG.debug("could not tell node {} that session {} ended: {}", node.shortForm(), id, e.getMessage());
                }
            }
        }
    }

    /**
     * Whether a failed poll leaves the session open on the node: it timed out here (a reply lost on
     * a saturated link) or was refused for a reason of its own, rather than the node ending the
     * session, withdrawing the service or going down.
     */
    private static boolean nodeMayHoldIt(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return true;
        }
        if (cause instanceof RemoteCallException remote) {
            return switch (remote.reason()) {
                case QUEUE_FULL, BAD_RESULT, TOO_LARGE, UNAVAILABLE -> true;
                default -> false;
            };
        }
        return false;
    }

    private void emit(String line) {
        synchronized (sinkLock) {
            if (closed) {
                return;
            }
            try {
                sink.accept(line);
            } catch (RuntimeException e) {
                LOG.warn("the sink of inspection session {} with node {} threw", id, node.shortForm(), e);
            }
        }
    }

    private String endReason(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof RemoteCallException remote
                && remote.reason() == RemoteCallException.Reason.UNKNOWN_ACTOR) {
            return InspectionService.STOPPED_SERVING;
        }
        if (cause instanceof RemoteCallException remote
                && remote.remoteType()
                        .filter(InspectionEndedException.class.getName()::equals)
                        .isPresent()) {
            // The node's own words, after the class name the remote layer puts in front.
            String message = remote.getMessage();
            int at = message.indexOf(InspectionEndedException.class.getName() + ": ");
            return at < 0
                    ? message
                    : message.substring(
                            at + InspectionEndedException.class.getName().length() + 2);
        }
        return cause.getMessage();
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Turns a failed open into what the shell should say. */
    static RemoteInspectionException attachFailure(PeerId node, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof RemoteInspectionException already) {
            return already;
        }
        if (cause instanceof RemoteCallException remote) {
            switch (remote.reason()) {
                case UNAUTHORIZED:
                    return new RemoteInspectionException(
                            RemoteInspectionException.Reason.REFUSED,
                            "node " + node + " refused inspection: it grants this shell's identity no access (the"
                                    + " node must grant it READ or WRITE in RemoteInspection.serve)",
                            remote);
                case UNKNOWN_ACTOR:
                    return new RemoteInspectionException(
                            RemoteInspectionException.Reason.REFUSED,
                            "node " + node + " serves no inspection (RemoteInspection.serve was not called there)",
                            remote);
                case NOT_CONNECTED:
                case NODE_DOWN:
                case QUEUE_FULL:
                    return new RemoteInspectionException(
                            RemoteInspectionException.Reason.UNREACHABLE,
                            "node " + node + " could not be reached: " + remote.getMessage(),
                            remote);
                case FAILED:
                    if (remote.remoteType()
                            .filter(SecurityException.class.getName()::equals)
                            .isPresent()) {
                        return new RemoteInspectionException(
                                RemoteInspectionException.Reason.REFUSED,
                                "node " + node + " refused inspection: " + remote.getMessage(),
                                remote);
                    }
                    if (remote.getMessage() != null && remote.getMessage().contains("busy: ")) {
                        return new RemoteInspectionException(
                                RemoteInspectionException.Reason.BUSY,
                                "node " + node + " has no room for another inspection session: " + remote.getMessage(),
                                remote);
                    }
                    break;
                default:
                    break;
            }
        }
        return new RemoteInspectionException(
                RemoteInspectionException.Reason.FAILED,
                "attaching to node " + node + " failed: " + cause.getMessage(),
                cause);
    }
}
