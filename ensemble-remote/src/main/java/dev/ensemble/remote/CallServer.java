package dev.ensemble.remote;

import dev.ensemble.core.ActorStoppedException;
import dev.ensemble.core.MailboxOverflowException;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.wire.DroppedValue;
import dev.ensemble.remote.wire.Frame;
import dev.ensemble.remote.wire.FrameCodec;
import dev.ensemble.remote.wire.FrameHead;
import dev.ensemble.remote.wire.ReplyStatus;
import dev.ensemble.remote.wire.WireValue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving half of a node: what it does with the calls and subscriptions other nodes send to
 * its exposed actors. Every check happens before the actor sees anything: first the calling node's
 * limits (its call rate, if one is set, and its asks in flight), so that a node flooding calls is
 * refused before anything of them is decoded and cannot starve other callers; then the exposure, the
 * policy, the action and its kind, the argument count, then each argument's type and bytes. A call
 * that fails a check is answered with an error reply (for a tell too, so that the caller can log
 * it) and counted; one that passes is handed to the actor's mailbox through its local client, and
 * an ask's result or failure becomes the reply.
 *
 * <p>Threading: called on the transport's callback thread; replies to asks are sent from the
 * thread that completes the actor's future (usually the actor's own).
 */
final class CallServer {
    private static final Logger LOG = LoggerFactory.getLogger(CallServer.class);

    private final RemoteActors owner;
    private final Map<String, Exposure> exposures;
    private final int maxAsksInFlight;
    private final int callRatePerSecond;
    private final int callRateBurst;
    /** What each calling node may still do here. */
    private final Map<Link, Inbound> inbound = new ConcurrentHashMap<>();

    /** One calling node's asks in flight here and its call rate (null: no rate limit). */
    private static final class Inbound {
        final AtomicInteger asksInFlight = new AtomicInteger();
        final CallRate rate;

        Inbound(CallRate rate) {
            this.rate = rate;
        }
    }

    /**
     * @param maxAsksInFlight asks one node may have handed to actors here and not answered
     * @param callRatePerSecond calls a second one node may make, or 0 for no limit
     * @param callRateBurst calls at once one node may make (with a rate)
     */
    CallServer(
            RemoteActors owner,
            Map<String, Exposure> exposures,
            int maxAsksInFlight,
            int callRatePerSecond,
            int callRateBurst) {
        this.owner = owner;
        this.exposures = exposures;
        this.maxAsksInFlight = maxAsksInFlight;
        this.callRatePerSecond = callRatePerSecond;
        this.callRateBurst = callRateBurst;
    }

    private Inbound inbound(Link link) {
        return inbound.computeIfAbsent(
                link,
                l -> new Inbound(
                        callRatePerSecond == 0
                                ? null
                                : new CallRate(callRatePerSecond, callRateBurst, System.nanoTime())));
    }

    /**
     * Checks a call against its node's limits, the exposure, its policy and the action, then hands
     * it to the actor. The limits come first: a flood is refused before anything is decoded.
     */
    void serve(Link link, Frame.Call call) {
        Inbound limits = inbound(link);
        if (limits.rate != null && !limits.rate.tryTake(System.nanoTime())) {
            throttle(
                    link,
                    call,
                    "node " + link.peer.shortForm() + " is above its call rate here (callRatePerNode "
                            + callRatePerSecond + " a second, burst " + callRateBurst + "); this "
                            + (call.ask() ? "ask" : "tell") + " was not run");
            return;
        }
        if (call.ask() && limits.asksInFlight.incrementAndGet() > maxAsksInFlight) {
            limits.asksInFlight.decrementAndGet();
            throttle(
                    link,
                    call,
                    "node " + link.peer.shortForm() + " already has " + maxAsksInFlight
                            + " asks in flight here (maxAsksInFlightPerNode); this ask was not run");
            return;
        }
        boolean handed = false;
        try {
            handed = serveChecked(link, call, limits);
        } finally {
            if (call.ask() && !handed) {
                limits.asksInFlight.decrementAndGet();
            }
        }
    }

    private void throttle(Link link, Frame.Call call, String message) {
        owner.counters.callsThrottled.increment();
        refuse(link, call.callId(), ReplyStatus.UNAVAILABLE, "", message);
    }

    /**
     * @return whether an ask was handed to its actor (its reply then releases its place in flight)
     */
    private boolean serveChecked(Link link, Frame.Call call, Inbound limits) {
        Exposure exposure = exposures.get(call.target());
        String who = "node " + link.peer.shortForm();
        if (exposure == null) {
            refuse(link, call.callId(), ReplyStatus.UNKNOWN_ACTOR, "", "no actor \"" + call.target() + "\" is exposed");
            return false;
        }
        Permission permission = call.ask() ? Permission.ASK : Permission.TELL;
        if (!exposure.policy.permits(link.peer, permission)) {
            refuse(
                    link,
                    call.callId(),
                    ReplyStatus.UNAUTHORIZED,
                    "",
                    who + " may not " + (call.ask() ? "ask" : "tell") + " actor \"" + call.target() + "\"");
            return false;
        }
        Method method = exposure.actions.get(call.action());
        if (method == null) {
            refuse(
                    link,
                    call.callId(),
                    ReplyStatus.UNKNOWN_ACTION,
                    "",
                    "actor \"" + call.target() + "\" has no action \"" + call.action() + "\" (actions: "
                            + exposure.actions.keySet() + ")");
            return false;
        }
        boolean isAsk = method.getReturnType() != void.class;
        if (isAsk != call.ask()) {
            refuse(
                    link,
                    call.callId(),
                    ReplyStatus.UNKNOWN_ACTION,
                    "",
                    call.action() + "() of actor \"" + call.target() + "\" is " + (isAsk ? "an ask" : "a tell")
                            + " but was called as " + (call.ask() ? "an ask" : "a tell"));
            return false;
        }
        Type[] parameters = method.getGenericParameterTypes();
        if (parameters.length != call.arguments().size()) {
            refuse(
                    link,
                    call.callId(),
                    ReplyStatus.BAD_ARGUMENTS,
                    "",
                    call.action() + "() takes " + parameters.length + " arguments, "
                            + call.arguments().size() + " were sent");
            return false;
        }
        Object[] args = new Object[parameters.length];
        for (int i = 0; i < args.length; i++) {
            try {
                args[i] = owner.values.decode(call.arguments().get(i), parameters[i]);
            } catch (ValueException e) {
                refuse(
                        link,
                        call.callId(),
                        ReplyStatus.BAD_ARGUMENTS,
                        e.type(),
                        "argument " + i + " of " + call.action() + "(): " + e.getMessage());
                return false;
            }
        }
        Object result;
        try {
            Object target = exposure.actionsFor(link.peer);
            if (target == null) {
                refuse(
                        link,
                        call.callId(),
                        ReplyStatus.UNAUTHORIZED,
                        "",
                        who + " may not call service \"" + call.target() + "\" (the service refused it)");
                return false;
            }
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            refuse(
                    link,
                    call.callId(),
                    statusOf(cause),
                    cause.getClass().getName(),
                    String.valueOf(cause.getMessage()));
            return false;
        } catch (IllegalAccessException | RuntimeException e) {
            refuse(link, call.callId(), ReplyStatus.FAILED, e.getClass().getName(), String.valueOf(e.getMessage()));
            return false;
        }
        owner.counters.callsServed.increment();
        if (!call.ask()) {
            return false;
        }
        if (result == null) {
            // Only a proxy of another kind than ensemble-core's would do this; answer anyway.
            reply(link, call, null, new IllegalStateException(call.action() + "() returned no future"));
            return false;
        }
        ((CompletionStage<?>) result).whenComplete((value, error) -> {
            limits.asksInFlight.decrementAndGet();
            reply(link, call, value, error);
        });
        return true;
    }

    private static ReplyStatus statusOf(Throwable error) {
        return error instanceof ActorStoppedException || error instanceof MailboxOverflowException
                ? ReplyStatus.UNAVAILABLE
                : ReplyStatus.FAILED;
    }

    private void reply(Link link, Frame.Call call, Object value, Throwable error) {
        Frame.Reply reply;
        if (error != null) {
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            reply = Frame.Reply.error(
                    call.callId(), statusOf(cause), cause.getClass().getName(), String.valueOf(cause.getMessage()));
        } else {
            try {
                reply = Frame.Reply.ok(call.callId(), owner.values.encode(value));
            } catch (ValueException e) {
                reply = Frame.Reply.error(
                        call.callId(),
                        ReplyStatus.BAD_RESULT,
                        e.type(),
                        "result of " + call.action() + "(): " + e.getMessage());
            }
        }
        byte[] frame = FrameCodec.encode(reply);
        if (frame.length > owner.maxValueSize) {
            frame = FrameCodec.encode(Frame.Reply.error(
                    call.callId(),
                    ReplyStatus.BAD_RESULT,
                    value == null ? "" : value.getClass().getName(),
                    "result of " + call.action() + "() is " + frame.length + " bytes encoded, more than maxValueSize ("
                            + owner.maxValueSize + " bytes)"));
        }
        link.enqueue(frame);
    }

    /**
     * Answers a call that came in chunks and was dropped unread: larger than this node's {@code
     * maxValueSize} ({@link ReplyStatus#TOO_LARGE}), or beyond the partial values its node may have
     * here ({@link ReplyStatus#UNAVAILABLE}). The actor never sees it.
     */
    void refuse(Link link, FrameHead call, DroppedValue dropped) {
        String what = call.action().isEmpty() ? "the call" : call.action() + "() of actor \"" + call.target() + "\"";
        if (dropped.cause() == DroppedValue.Cause.TOO_LARGE) {
            refuse(
                    link,
                    call.callId(),
                    ReplyStatus.TOO_LARGE,
                    "",
                    "the call is " + dropped.totalLength() + " bytes encoded, more than the receiving node's"
                            + " maxValueSize (" + dropped.limit() + " bytes); it was not run (" + what + ")");
        } else {
            refuse(
                    link,
                    call.callId(),
                    ReplyStatus.UNAVAILABLE,
                    "",
                    what + " came in chunks while node " + link.peer.shortForm() + " already had "
                            + dropped.limit() + " incomplete chunked values at the receiving node"
                            + " (maxPartialValues); it was not run");
        }
    }

    private void refuse(Link link, long callId, ReplyStatus status, String type, String message) {
        owner.counters.callsRefused.increment();
        LOG.debug("refused call {} from node {}: {} {}", callId, link.peer.shortForm(), status, message);
        link.enqueue(FrameCodec.encode(Frame.Reply.error(callId, status, type, message)));
    }

    /** Starts, changes or ends what a node receives of an exposed actor. */
    void serve(Link link, Frame.Subscribe subscribe) {
        Exposure exposure = exposures.get(subscribe.target());
        if (exposure == null) {
            refuse(
                    link,
                    subscribe.callId(),
                    ReplyStatus.UNKNOWN_ACTOR,
                    "",
                    "no actor \"" + subscribe.target() + "\" is exposed");
            return;
        }
        if (!subscribe.state() && !subscribe.events() && !subscribe.down()) {
            Served served = link.served.remove(subscribe.target());
            if (served != null) {
                served.cancel();
            }
            link.enqueue(FrameCodec.encode(Frame.Reply.ok(subscribe.callId(), WireValue.NULL)));
            return;
        }
        if (exposure.isService()) {
            refuse(
                    link,
                    subscribe.callId(),
                    ReplyStatus.UNAUTHORIZED,
                    "",
                    "\"" + subscribe.target() + "\" is a service of calls only: it has no state, events or end to"
                            + " subscribe to");
            return;
        }
        List<String> refused = refused(link, exposure, subscribe.state(), subscribe.events(), subscribe.down());
        if (!refused.isEmpty()) {
            refuse(
                    link,
                    subscribe.callId(),
                    ReplyStatus.UNAUTHORIZED,
                    "",
                    "node " + link.peer.shortForm() + " may not " + String.join(" or ", refused) + " actor \""
                            + subscribe.target() + "\"");
            return;
        }
        link.enqueue(FrameCodec.encode(Frame.Reply.ok(subscribe.callId(), WireValue.NULL)));
        link.served
                .computeIfAbsent(subscribe.target(), name -> new Served(link, exposure, owner))
                .update(subscribe.state(), subscribe.events(), subscribe.down());
    }

    /** What of {@code exposure} the policy refuses {@code link}'s node, as phrases; empty if nothing. */
    private static List<String> refused(Link link, Exposure exposure, boolean state, boolean events, boolean down) {
        List<String> refused = new ArrayList<>();
        if (state && !exposure.policy.permits(link.peer, Permission.READ_STATE)) {
            refused.add("read the state of");
        }
        if (events && !exposure.policy.permits(link.peer, Permission.EVENTS)) {
            refused.add("see the events of");
        }
        if (down && !exposure.policy.permitsAny(link.peer)) {
            refused.add("watch");
        }
        return refused;
    }

    /**
     * A node's connection came back: serves it again what it had subscribed to here when the
     * connection closed (see {@link Link#servedBeforeDisconnect}), as far as the exposures and
     * their policies still allow, without waiting for it to subscribe anew. The state is sent
     * again at once; events of the gap are lost. If the node did subscribe anew, this is the same
     * subscription; if it restarted meanwhile, its first heartbeat ends these (a new incarnation).
     */
    void resume(Link link) {
        Map<String, Served.Wants> before = new HashMap<>(link.servedBeforeDisconnect);
        link.servedBeforeDisconnect.clear();
        before.forEach((name, wants) -> {
            Exposure exposure = exposures.get(name);
            if (exposure == null
                    || exposure.isService()
                    || !(wants.state() || wants.events() || wants.down())
                    || !refused(link, exposure, wants.state(), wants.events(), wants.down())
                            .isEmpty()) {
                return;
            }
            link.served
                    .computeIfAbsent(name, n -> new Served(link, exposure, owner))
                    .update(wants.state(), wants.events(), wants.down());
        });
    }
}
