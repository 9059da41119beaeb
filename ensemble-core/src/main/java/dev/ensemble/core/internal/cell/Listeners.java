package dev.ensemble.core.internal.cell;

import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.Down;
import dev.ensemble.core.Subscription;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who listens to one actor: state listeners, event listeners, and watchers, who are told once
 * when the actor stops for good (its {@link Down}). One listener's failure to take a
 * notification is logged and reaches neither the actor's turn nor the other listeners.
 *
 * <p>Made by the cell on first use: most actors are never listened to. Each list is made on its
 * first registration.
 *
 * <p>Threading: registration and cancellation from any thread. State and events are published
 * by the actor's turn; the down signal by whoever stops the actor. Registering a watcher and
 * announcing the down signal are ordered by this object's lock, so that a watcher registered
 * after the actor stopped is told at once, and none is told twice.
 */
final class Listeners<S> {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final String actor;
    private volatile CopyOnWriteArrayList<Listener<S>> stateListeners;
    private volatile CopyOnWriteArrayList<Listener<ActorEvent>> eventListeners;
    /** Guarded by {@code this}; dropped once the down signal went out. */
    private CopyOnWriteArrayList<Listener<Down>> downListeners;
    /**
     * Guarded by {@code this}: the last retained event of each name, handed to every event
     * listener that subscribes while it is kept. Null until the first one.
     */
    private Map<String, ActorEvent> retained;
    /** Guarded by {@code this} for writing: set once, when the actor stops for good. */
    private volatile Down down;

    Listeners(String actor) {
        this.actor = actor;
    }

    Subscription addState(Listener<S> listener) {
        CopyOnWriteArrayList<Listener<S>> list = stateListeners;
        if (list == null) {
            synchronized (this) {
                list = stateListeners;
                if (list == null) {
                    list = new CopyOnWriteArrayList<>();
                    stateListeners = list;
                }
            }
        }
        return register(list, listener);
    }

    Subscription addEvent(Listener<ActorEvent> listener) {
        CopyOnWriteArrayList<Listener<ActorEvent>> list = eventListeners;
        if (list == null) {
            synchronized (this) {
                list = eventListeners;
                if (list == null) {
                    list = new CopyOnWriteArrayList<>();
                    eventListeners = list;
                }
            }
        }
        // Ordered with publishRetained by the lock: a retained event reaches a new listener
        // either live or replayed here, never both and never neither.
        synchronized (this) {
            Subscription subscription = register(list, listener);
            if (retained != null) {
                for (ActorEvent event : retained.values()) {
                    deliverSafely(listener, event);
                }
            }
            return subscription;
        }
    }

    /** Publishes an event and keeps it for listeners that subscribe later, until cleared or replaced. */
    void publishRetained(ActorEvent event) {
        synchronized (this) {
            if (down != null) {
                return;
            }
            if (retained == null) {
                retained = new LinkedHashMap<>();
            }
            retained.remove(event.name());
            retained.put(event.name(), event);
            publishEvent(event);
        }
    }

    /** Forgets the retained event of a name, if any. */
    synchronized void clearRetained(String name) {
        if (retained != null) {
            retained.remove(name);
        }
    }

    /** Forgets every retained event: the instance that emitted them is gone. */
    synchronized void clearAllRetained() {
        retained = null;
    }

    /** Registers a watcher; if the actor has already stopped, hands it the down signal now. */
    Subscription addDown(Listener<Down> listener) {
        CopyOnWriteArrayList<Listener<Down>> list;
        synchronized (this) {
            Down already = down;
            if (already != null) {
                listener.deliver(already);
                return listener::cancel;
            }
            list = downListeners;
            if (list == null) {
                list = new CopyOnWriteArrayList<>();
                downListeners = list;
            }
            list.add(listener);
        }
        CopyOnWriteArrayList<Listener<Down>> registered = list;
        return () -> {
            listener.cancel();
            registered.remove(listener);
        };
    }

    private static <T> Subscription register(CopyOnWriteArrayList<Listener<T>> list, Listener<T> listener) {
        list.add(listener);
        return () -> {
            listener.cancel();
            list.remove(listener);
        };
    }

    /** The actor's turn committed a new state. */
    void publishState(S state) {
        CopyOnWriteArrayList<Listener<S>> listeners = stateListeners;
        if (listeners != null) {
            for (Listener<S> listener : listeners) {
                deliverSafely(listener, state);
            }
        }
    }

    /** The actor's turn emitted an event, or the framework did for it. */
    void publishEvent(ActorEvent event) {
        CopyOnWriteArrayList<Listener<ActorEvent>> listeners = eventListeners;
        if (listeners != null) {
            for (Listener<ActorEvent> listener : listeners) {
                deliverSafely(listener, event);
            }
        }
    }

    /**
     * The actor stopped for good: tells every watcher, once, and lets go of the state and event
     * listeners, since nothing will be published to them again. A second call does nothing.
     */
    void announceDown(Down signal) {
        CopyOnWriteArrayList<Listener<Down>> watchers;
        synchronized (this) {
            if (down != null) {
                return;
            }
            down = signal;
            watchers = downListeners;
            downListeners = null;
        }
        stateListeners = null;
        eventListeners = null;
        synchronized (this) {
            retained = null;
        }
        if (watchers != null) {
            for (Listener<Down> watcher : watchers) {
                deliverSafely(watcher, signal);
            }
        }
    }

    private <T> void deliverSafely(Listener<T> listener, T value) {
        try {
            listener.deliver(value);
        } catch (RuntimeException e) {
            LOG.warn("a listener of actor \"{}\" could not take a notification; others are unaffected", actor, e);
        }
    }
}
