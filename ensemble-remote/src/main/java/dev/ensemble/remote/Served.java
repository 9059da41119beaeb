package dev.ensemble.remote;

import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.Down;
import dev.ensemble.core.Subscription;
import dev.ensemble.remote.wire.Frame;
import dev.ensemble.remote.wire.FrameCodec;
import dev.ensemble.remote.wire.WireValue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's subscription to one exposed actor: forwards its events in order and its state,
 * coalesced. The state listener only records the latest state and schedules a flush; the flush
 * (on the node's single scheduler thread) sends the latest state with the next sequence number,
 * and waits while the link's queue is more than half full, so a burst of changes costs a few
 * frames and memory stays bounded.
 *
 * <p>Listeners run directly on the actor's thread (a direct callback executor): that is what makes
 * the snapshot taken at subscription never newer than a change delivered after it.
 */
final class Served {
    private static final Logger LOG = LoggerFactory.getLogger(Served.class);

    private final Link link;
    private final Exposure exposure;
    private final RemoteActors owner;

    // Guarded by this.
    private Subscription stateSubscription;
    private Subscription eventSubscription;
    private Subscription downSubscription;
    private Object latest;
    private boolean hasLatest;
    private boolean dirty;
    private boolean flushScheduled;
    private boolean cancelled;

    /** What a node receives of an exposed actor. */
    record Wants(boolean state, boolean events, boolean down) {}

    Served(Link link, Exposure exposure, RemoteActors owner) {
        this.link = link;
        this.exposure = exposure;
        this.owner = owner;
    }

    /** @return what the node receives now */
    synchronized Wants wants() {
        return new Wants(stateSubscription != null, eventSubscription != null, downSubscription != null);
    }

    /** Turns the state and event streams and the watch on or off as the node asked. */
    void update(boolean state, boolean events, boolean down) {
        watch(down);
        Subscription stopState = null;
        Subscription stopEvents = null;
        boolean startState;
        boolean startEvents;
        synchronized (this) {
            startState = state && stateSubscription == null;
            startEvents = events && eventSubscription == null;
            if (!state && stateSubscription != null) {
                stopState = stateSubscription;
                stateSubscription = null;
            }
            if (!events && eventSubscription != null) {
                stopEvents = eventSubscription;
                eventSubscription = null;
            }
        }
        if (stopState != null) {
            stopState.cancel();
        }
        if (stopEvents != null) {
            stopEvents.cancel();
        }
        if (startEvents) {
            Subscription s = exposure.client.withCallbackExecutor(Runnable::run).onEvent(this::onEvent);
            synchronized (this) {
                eventSubscription = s;
            }
        }
        if (state) {
            Subscription s = startState
                    ? exposure.client.withCallbackExecutor(Runnable::run).onState(this::onState)
                    : null;
            // Read after registering: a change committed before this read reached the listener
            // already or never will; one committed after it reaches the listener next.
            synchronized (this) {
                if (s != null) {
                    stateSubscription = s;
                }
                if (!hasLatest) {
                    latest = exposure.client.state();
                    hasLatest = true;
                }
                dirty = true;
            }
            scheduleFlush(0);
        }
    }

    private void watch(boolean down) {
        Subscription stop = null;
        boolean start;
        synchronized (this) {
            start = down && downSubscription == null;
            if (!down && downSubscription != null) {
                stop = downSubscription;
                downSubscription = null;
            }
        }
        if (stop != null) {
            stop.cancel();
        }
        if (start) {
            // The down signal is handed over under the actor's listener lock (at once if it has
            // already stopped): leave it at once, and send from the scheduler.
            Subscription s = exposure.client
                    .withCallbackExecutor(Runnable::run)
                    .onDown(signal -> owner.schedule(() -> actorStopped(signal), 0, TimeUnit.MILLISECONDS));
            synchronized (this) {
                downSubscription = s;
            }
        }
    }

    private void actorStopped(Down signal) {
        synchronized (this) {
            if (cancelled) {
                return;
            }
        }
        Throwable cause = signal.cause();
        link.enqueue(FrameCodec.encode(new Frame.Stopped(
                exposure.name(),
                cause != null,
                cause == null ? "" : cause.getClass().getName(),
                cause == null ? "" : String.valueOf(cause.getMessage()))));
        // Nothing more will come from this actor: the subscription ends with it.
        link.served.remove(exposure.name(), this);
        cancel();
    }

    void cancel() {
        Subscription a;
        Subscription b;
        Subscription c;
        synchronized (this) {
            cancelled = true;
            a = stateSubscription;
            b = eventSubscription;
            c = downSubscription;
            stateSubscription = null;
            eventSubscription = null;
            downSubscription = null;
        }
        if (c != null) {
            c.cancel();
        }
        if (a != null) {
            a.cancel();
        }
        if (b != null) {
            b.cancel();
        }
    }

    private void onState(Object state) {
        synchronized (this) {
            latest = state;
            hasLatest = true;
            dirty = true;
        }
        scheduleFlush(0);
    }

    private void scheduleFlush(long delayMs) {
        synchronized (this) {
            if (flushScheduled || cancelled) {
                return;
            }
            flushScheduled = true;
        }
        owner.schedule(this::flush, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Runs on the scheduler thread only, so sequence order is send order. */
    private void flush() {
        Object state;
        long sequence;
        synchronized (this) {
            flushScheduled = false;
            if (!dirty || cancelled) {
                return;
            }
            if (link.queued() > link.maxQueuedFrames() / 2) {
                // Coalesce: later changes replace this one while the link is busy.
                flushScheduled = true;
                owner.schedule(this::flush, RemoteActors.RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
                return;
            }
            dirty = false;
            state = latest;
            sequence = owner.nextSequence();
        }
        WireValue value;
        try {
            value = owner.values.encode(state);
        } catch (ValueException e) {
            LOG.warn(
                    "state of actor \"{}\" not sent to node {}: {}",
                    exposure.name(),
                    link.peer.shortForm(),
                    e.getMessage());
            return;
        }
        byte[] frame = FrameCodec.encode(new Frame.State(exposure.name(), sequence, value));
        if (frame.length > owner.maxValueSize) {
            LOG.warn(
                    "state of actor \"{}\" not sent to node {}: {} bytes encoded, more than maxValueSize ({} bytes)",
                    exposure.name(),
                    link.peer.shortForm(),
                    frame.length,
                    owner.maxValueSize);
            return;
        }
        link.enqueue(frame);
    }

    private void onEvent(ActorEvent event) {
        WireValue payload;
        try {
            payload = owner.values.encode(event.payload());
        } catch (ValueException e) {
            LOG.warn(
                    "event \"{}\" of actor \"{}\" not sent to node {}: {}",
                    event.name(),
                    exposure.name(),
                    link.peer.shortForm(),
                    e.getMessage());
            return;
        }
        synchronized (this) {
            if (cancelled) {
                return;
            }
        }
        // Not under this object's lock: enqueueing may call the transport, and a transport callback
        // may be waiting for this lock (a subscription being updated). One actor's events reach this
        // listener one at a time, so their sequence numbers are drawn and queued in order.
        byte[] frame = FrameCodec.encode(new Frame.Event(exposure.name(), owner.nextSequence(), event.name(), payload));
        if (frame.length > owner.maxValueSize || !link.enqueue(frame)) {
            LOG.debug(
                    "event \"{}\" of actor \"{}\" dropped for node {} (link busy or too large)",
                    event.name(),
                    exposure.name(),
                    link.peer.shortForm());
        }
    }
}
