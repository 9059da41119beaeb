package dev.ensemble.remote;

import dev.ensemble.transport.PeerId;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a call to an actor on another node failed, or why that node is considered down. A tell
 * throws it; an ask's future fails with it (or with a {@link java.util.concurrent.TimeoutException}
 * when no reply came in time). A failure inside the remote action arrives as reason {@link
 * Reason#FAILED} with the remote exception's class name in {@link #remoteType()} and its message:
 * never the remote stack of objects.
 *
 * <pre>{@code
 * counter.actions().total().exceptionally(error -> {
 *   if (error.getCause() instanceof RemoteCallException e && e.reason() == Reason.UNAUTHORIZED) {
 *     log.warn("node {} refused: {}", e.node(), e.getMessage());
 *   }
 *   return 0;
 * });
 * }</pre>
 */
public final class RemoteCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the call failed. */
    public enum Reason {
        /** The remote action threw or its future failed; see {@link #remoteType()}. */
        FAILED,
        /** The remote actor's access policy does not let this node do that. */
        UNAUTHORIZED,
        /** No actor of that name is exposed on the remote node. */
        UNKNOWN_ACTOR,
        /** The remote actor has no such action (or it is a tell called as an ask, or the reverse). */
        UNKNOWN_ACTION,
        /**
         * An argument could not be encoded here or decoded there (unregistered type, wrong type,
         * bad bytes).
         */
        BAD_ARGUMENTS,
        /** The result could not be encoded there or decoded here. */
        BAD_RESULT,
        /**
         * The remote actor is stopped or its mailbox is full, or a node could not take a value that
         * came in chunks (it already had {@code maxPartialValues} incomplete ones from the sender).
         */
        UNAVAILABLE,
        /** The node is not connected: the call was never sent. */
        NOT_CONNECTED,
        /** The node went down (disconnected, silent past the detector's bound, restarted or closed). */
        NODE_DOWN,
        /** The outgoing queue to that node is full: the call was not queued. */
        QUEUE_FULL,
        /**
         * A value is larger than a node's {@code maxValueSize}: the encoded call is larger than this
         * node's (it was not sent) or the remote node's (it was dropped there unread and never reached
         * the actor), or the encoded result is larger than this node's (it was dropped here). The
         * message names the size and the limit.
         */
        TOO_LARGE
    }

    private final Reason reason;
    private final PeerId node;
    private final String remoteType;

    /**
     * @param reason why
     * @param node the remote node
     * @param remoteType the remote exception's class name or the offending type, may be null
     * @param message the explanation
     */
    public RemoteCallException(Reason reason, PeerId node, String remoteType, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.node = node;
        this.remoteType = remoteType == null || remoteType.isEmpty() ? null : remoteType;
    }

    /** @return why the call failed */
    public Reason reason() {
        return reason;
    }

    /** @return the remote node */
    public PeerId node() {
        return node;
    }

    /**
     * @return for {@link Reason#FAILED}, the class name of the exception the remote action threw;
     *     for encoding problems, the type at fault
     */
    public Optional<String> remoteType() {
        return Optional.ofNullable(remoteType);
    }
}
