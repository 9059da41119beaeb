package dev.ensemble.remote;

import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Down;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This node's view of one actor on another node, shared by every client view of it: the cached
 * state, the last state and event sequences applied, the listeners, and what to subscribe to.
 *
 * <p>Threading: {@code state} is read anywhere; the sequences are touched only by the transport's
 * callback thread; what to subscribe to is guarded by {@code this}.
 */
final class RemoteTarget<S> {
    final Link link;
    final ActorToken<?, S> token;

    volatile S state;
    /** Callback thread. */
    long lastStateSequence;
    /** Callback thread. */
    long lastEventSequence;

    final CopyOnWriteArrayList<OrderedListener<S>> stateListeners = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<OrderedListener<ActorEvent>> eventListeners = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<OrderedListener<Down>> downListeners = new CopyOnWriteArrayList<>();

    /** Set once the state is wanted: lets {@code state()} skip the lock on every read. */
    volatile boolean stateWanted;

    // Guarded by this.
    private boolean wantState;
    private boolean wantEvents;
    private boolean wantDown;

    RemoteTarget(Link link, ActorToken<?, S> token) {
        this.link = link;
        this.token = token;
    }

    String name() {
        return token.name();
    }

    /**
     * Adds to what this node wants of the actor.
     *
     * @return true if that changed what to subscribe to
     */
    synchronized boolean want(boolean state, boolean events, boolean down) {
        boolean changed = (state && !wantState) || (events && !wantEvents) || (down && !wantDown);
        wantState |= state;
        stateWanted = wantState;
        wantEvents |= events;
        wantDown |= down;
        return changed;
    }

    synchronized boolean wantsState() {
        return wantState;
    }

    synchronized boolean wantsEvents() {
        return wantEvents;
    }

    synchronized boolean wantsDown() {
        return wantDown;
    }

    /** A new connection or incarnation: the node's sequences start again. Callback thread. */
    void resetSequences() {
        lastStateSequence = 0;
        lastEventSequence = 0;
    }

    /** Tells every watcher, once, that the node went down. */
    void down(Down signal) {
        for (OrderedListener<Down> listener : downListeners) {
            if (downListeners.remove(listener)) {
                listener.deliver(signal);
            }
        }
    }
}
