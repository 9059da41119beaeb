package dev.ensemble.remote;

import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.Down;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.remote.wire.DroppedValue;
import dev.ensemble.remote.wire.Frame;
import dev.ensemble.remote.wire.FrameCodec;
import dev.ensemble.remote.wire.ReplyStatus;
import dev.ensemble.remote.wire.WireValue;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calling side of a node ({@link RemoteActors}): it turns the calls of remote clients into call
 * and subscribe frames, keeps the outstanding asks and subscriptions until their reply, a timeout or
 * the node's end, and applies what comes back from the serving node: replies, states, events and the
 * end of an actor. The serving side is {@link CallServer} and {@link Served}; links and failure
 * detection stay in {@link RemoteActors}.
 *
 * <p>Thread-safe: calls come from any thread, frames from the transport's callback thread, timeouts
 * from the node's scheduler; outstanding calls are in a concurrent map and each completes once
 * (whoever removes it from the map completes it).
 */
final class Calls {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteActors.class);

    private final ValueCodec values;
    private final int maxValueSize;
    private final Executor defaultExecutor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final RemoteActors.Counters counters;
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();

    Calls(
            ValueCodec values,
            int maxValueSize,
            Executor defaultExecutor,
            ScheduledThreadPoolExecutor scheduler,
            RemoteActors.Counters counters) {
        this.values = values;
        this.maxValueSize = maxValueSize;
        this.defaultExecutor = defaultExecutor;
        this.scheduler = scheduler;
        this.counters = counters;
    }

    // ---------------------------------------------------------------- calling out

    void tell(RemoteTarget<?> target, Method method, Object[] args) {
        List<WireValue> arguments = encodeArguments(target, method, args);
        Link link = target.link;
        link.enqueueCall(id -> callFrame(link, new Frame.Call(false, id, target.name(), method.getName(), arguments)));
    }

    CompletableFuture<Object> ask(
            RemoteTarget<?> target, Method method, Object[] args, Duration timeout, Executor executor) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        Link link = target.link;
        long[] registered = {0};
        String what =
                "ask " + method.getName() + "() of actor \"" + target.name() + "\" on node " + link.peer.shortForm();
        try {
            List<WireValue> arguments = encodeArguments(target, method, args);
            Type resultType = method.getGenericReturnType() instanceof ParameterizedType p
                    ? p.getActualTypeArguments()[0]
                    : Object.class;
            link.enqueueCall(id -> {
                byte[] frame = callFrame(link, new Frame.Call(true, id, target.name(), method.getName(), arguments));
                PendingCall call = new PendingCall(id, link, future, resultType, executor, what);
                pending.put(id, call);
                registered[0] = id;
                call.timeout = scheduler.schedule(() -> timeOut(id, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
                return frame;
            });
        } catch (RemoteCallException e) {
            // The queue may refuse the frame after the call was registered (its chunks did not fit).
            PendingCall unsent = registered[0] == 0 ? null : pending.remove(registered[0]);
            if (unsent != null && unsent.timeout != null) {
                unsent.timeout.cancel(false);
            }
            future.completeExceptionally(e);
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(
                    new RemoteCallException(Reason.NODE_DOWN, link.peer, null, what + ": this node is closed"));
        }
        return future;
    }

    private byte[] callFrame(Link link, Frame.Call call) {
        byte[] frame = FrameCodec.encode(call);
        if (frame.length > maxValueSize) {
            throw new RemoteCallException(
                    Reason.TOO_LARGE,
                    link.peer,
                    null,
                    call.action() + "() of actor \"" + call.target() + "\": the call is " + frame.length
                            + " bytes encoded, more than maxValueSize (" + maxValueSize
                            + " bytes); it was not sent");
        }
        return frame;
    }

    private List<WireValue> encodeArguments(RemoteTarget<?> target, Method method, Object[] args) {
        List<WireValue> arguments = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            try {
                arguments.add(values.encode(args[i]));
            } catch (ValueException e) {
                throw new RemoteCallException(
                        Reason.BAD_ARGUMENTS,
                        target.link.peer,
                        e.type(),
                        "argument " + i + " of " + method.getName() + "() of actor \"" + target.name() + "\": "
                                + e.getMessage());
            }
        }
        return arguments;
    }

    private void timeOut(long id, Duration timeout) {
        PendingCall call = pending.remove(id);
        if (call != null) {
            call.fail(new TimeoutException(call.what + " got no reply within " + timeout));
        }
    }

    /** Adds to what this node wants of a remote actor and subscribes if that changed it. */
    void want(RemoteTarget<?> target, boolean state, boolean events, boolean down) {
        if (target.want(state, events, down) && target.link.up()) {
            subscribe(target);
        }
    }

    void subscribe(RemoteTarget<?> target) {
        Link link = target.link;
        boolean state = target.wantsState();
        boolean events = target.wantsEvents();
        boolean down = target.wantsDown();
        if (!state && !events && !down) {
            return;
        }
        String what = "subscription to actor \"" + target.name() + "\" on node " + link.peer.shortForm();
        try {
            link.enqueueCall(id -> {
                PendingCall call = new PendingCall(id, link, null, Object.class, defaultExecutor, what);
                pending.put(id, call);
                // A subscription is idempotent, so unlike a call it is sent again until answered: the
                // request may be lost, or dropped by the receiver for arriving after a later call.
                call.timeout = scheduler.schedule(
                        () -> {
                            if (pending.remove(id, call) && link.up()) {
                                LOG.debug(
                                        "{} unanswered after {} ms; sending it again",
                                        what,
                                        RemoteActors.SUBSCRIBE_RETRY_MS);
                                subscribe(target);
                            }
                        },
                        RemoteActors.SUBSCRIBE_RETRY_MS,
                        TimeUnit.MILLISECONDS);
                return FrameCodec.encode(new Frame.Subscribe(id, target.name(), state, events, down));
            });
        } catch (RemoteCallException e) {
            LOG.debug("{} not sent: {}", what, e.getMessage());
        }
    }

    /** Fails every outstanding call to {@code link}'s node with {@link Reason#NODE_DOWN}. */
    void failOutstanding(Link link, String reason) {
        for (PendingCall call : pending.values()) {
            if (call.link == link && pending.remove(call.id, call)) {
                call.fail(new RemoteCallException(
                        Reason.NODE_DOWN, link.peer, null, call.what + ": node is down (" + reason + ")"));
            }
        }
    }

    // ---------------------------------------------------------------- replies, state, events

    void complete(Link link, Frame.Reply reply) {
        PendingCall call = pending.get(reply.callId());
        if (call == null || call.link != link || !pending.remove(reply.callId(), call)) {
            if (call == null && reply.status() != ReplyStatus.OK) {
                // A refused tell: the caller has no future to fail, so this is where it shows. A peer
                // could send these in bulk: past the first few they are logged at DEBUG only.
                counters.tellsRefused.increment();
                if (counters.tellsRefused.sum() <= RemoteActors.WARNED_TELL_REFUSALS) {
                    LOG.warn(
                            "node {} refused call {}: {} {}",
                            link.peer.shortForm(),
                            reply.callId(),
                            reply.status(),
                            reply.message());
                } else {
                    LOG.debug(
                            "node {} refused call {}: {} {}",
                            link.peer.shortForm(),
                            reply.callId(),
                            reply.status(),
                            reply.message());
                }
                return;
            }
            LOG.debug("reply for no outstanding call {} from node {}", reply.callId(), link.peer.shortForm());
            counters.unknownReplies.increment();
            return;
        }
        if (reply.status() == ReplyStatus.OK) {
            try {
                call.succeed(values.decode(reply.value(), call.resultType));
            } catch (ValueException e) {
                call.fail(new RemoteCallException(
                        Reason.BAD_RESULT, link.peer, e.type(), call.what + ": " + e.getMessage()));
            }
            return;
        }
        if (call.future == null) {
            LOG.warn("{} refused: {} {}", call.what, reply.status(), reply.message());
            return;
        }
        call.fail(new RemoteCallException(
                reasonOf(reply.status()),
                link.peer,
                reply.errorType(),
                call.what + ": " + (reply.status() == ReplyStatus.FAILED ? reply.errorType() + ": " : "")
                        + reply.message()));
    }

    private static Reason reasonOf(ReplyStatus status) {
        return switch (status) {
            case FAILED, OK -> Reason.FAILED;
            case UNAUTHORIZED -> Reason.UNAUTHORIZED;
            case UNKNOWN_ACTOR -> Reason.UNKNOWN_ACTOR;
            case UNKNOWN_ACTION -> Reason.UNKNOWN_ACTION;
            case BAD_ARGUMENTS -> Reason.BAD_ARGUMENTS;
            case BAD_RESULT -> Reason.BAD_RESULT;
            case UNAVAILABLE -> Reason.UNAVAILABLE;
            case TOO_LARGE -> Reason.TOO_LARGE;
        };
    }

    /**
     * The reply to call {@code callId} came in chunks and was dropped unread (larger than this
     * node's {@code maxValueSize}, or beyond the partial values the node may have here): its ask
     * fails now, with {@link Reason#TOO_LARGE} or {@link Reason#UNAVAILABLE}, rather than at its
     * timeout.
     */
    void failDropped(Link link, long callId, DroppedValue dropped) {
        PendingCall call = pending.get(callId);
        if (call == null || call.link != link || !pending.remove(callId, call)) {
            counters.unknownReplies.increment();
            return;
        }
        boolean tooLarge = dropped.cause() == DroppedValue.Cause.TOO_LARGE;
        String why = tooLarge
                ? "the result is " + dropped.totalLength() + " bytes encoded, more than this node's maxValueSize ("
                        + dropped.limit() + " bytes); it was dropped"
                : "the result came in chunks while node " + link.peer.shortForm() + " already had " + dropped.limit()
                        + " incomplete chunked values here (maxPartialValues); it was dropped";
        if (call.future == null) {
            LOG.warn("{}: {}", call.what, why);
            return;
        }
        call.fail(new RemoteCallException(
                tooLarge ? Reason.TOO_LARGE : Reason.UNAVAILABLE, link.peer, null, call.what + ": " + why));
    }

    void applyState(Link link, Frame.State frame) {
        RemoteTarget<?> target = link.targets.get(frame.target());
        if (target == null) {
            counters.unknownReplies.increment();
            return;
        }
        applyState(target, frame);
    }

    private <S> void applyState(RemoteTarget<S> target, Frame.State frame) {
        if (frame.sequence() <= target.lastStateSequence) {
            counters.outOfOrderDropped.increment();
            return;
        }
        S state;
        try {
            state = target.token.stateType().cast(values.decode(frame.state(), target.token.stateType()));
        } catch (ValueException | ClassCastException e) {
            LOG.warn(
                    "state {} of actor \"{}\" from node {} not applied: {}",
                    frame.sequence(),
                    target.name(),
                    target.link.peer.shortForm(),
                    e.getMessage());
            return;
        }
        target.lastStateSequence = frame.sequence();
        if (Objects.equals(state, target.state)) {
            // A renewed subscription sends the current state again; as for a local actor, listeners
            // hear only of changes.
            return;
        }
        target.state = state;
        for (OrderedListener<S> listener : target.stateListeners) {
            listener.deliver(state);
        }
    }

    void applyEvent(Link link, Frame.Event frame) {
        RemoteTarget<?> target = link.targets.get(frame.target());
        if (target == null) {
            counters.unknownReplies.increment();
            return;
        }
        if (frame.sequence() <= target.lastEventSequence) {
            counters.outOfOrderDropped.increment();
            return;
        }
        Object payload;
        try {
            payload = values.decode(frame.payload(), Object.class);
        } catch (ValueException e) {
            LOG.warn(
                    "event \"{}\" of actor \"{}\" from node {} not delivered: {}",
                    frame.name(),
                    target.name(),
                    link.peer.shortForm(),
                    e.getMessage());
            return;
        }
        target.lastEventSequence = frame.sequence();
        ActorEvent event = new ActorEvent(target.name(), frame.name(), payload);
        for (OrderedListener<ActorEvent> listener : target.eventListeners) {
            listener.deliver(event);
        }
    }

    void actorStopped(Link link, Frame.Stopped frame) {
        RemoteTarget<?> target = link.targets.get(frame.target());
        if (target == null) {
            counters.unknownReplies.increment();
            return;
        }
        LOG.info(
                "actor \"{}\" on node {} stopped{}",
                frame.target(),
                link.peer.shortForm(),
                frame.failed() ? ": " + frame.errorType() + ": " + frame.message() : "");
        target.down(new Down(
                frame.target(),
                frame.failed()
                        ? new RemoteCallException(
                                Reason.FAILED,
                                link.peer,
                                frame.errorType(),
                                "actor \"" + frame.target() + "\" on node " + link.peer.shortForm() + " failed: "
                                        + frame.errorType() + ": " + frame.message())
                        : null));
    }
}
