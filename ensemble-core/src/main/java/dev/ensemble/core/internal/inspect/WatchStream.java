package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.Subscription;
import dev.ensemble.core.internal.cell.ActorCell;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;

/**
 * INTERNAL API: a {@code watch} stream: the actor's current state first, then each committed
 * change ({@code {"time","state"}}), from the actor's state listeners (which run on the system's
 * callback executor, never in the actor's turn). Ends with {@code actor-stopped} when the actor
 * stops.
 */
final class WatchStream extends Stream {
    private final ActorCell<?> actor;
    private Subscription states;
    private Subscription down;
    /** The last state sent: a listener's change equal to the first state sent is not repeated. */
    private Object last;

    private boolean initialSent;

    WatchStream(
            long id,
            SessionWriter writer,
            ScheduledExecutorService timer,
            long max,
            Runnable onEnded,
            ActorCell<?> actor) {
        super(id, writer, timer, max, onEnded);
        this.actor = actor;
    }

    @Override
    void hook() {
        synchronized (this) {
            states = actor.client().onState(this::changed);
            Object current = actor.stateForInspection();
            send(current);
            initialSent = true;
        }
        down = actor.client().onDown(signal -> end("actor-stopped", true));
    }

    private synchronized void changed(Object state) {
        if (!initialSent || state == last) {
            return;
        }
        send(state);
    }

    private void send(Object state) {
        last = state;
        ObjectNode event = Json.object();
        event.put("time", Instant.now().toString());
        StateJson.Result json = StateJson.of(state);
        event.set("state", json.json());
        if (json.error() != null) {
            event.put("stateError", json.error());
        }
        emit(event);
    }

    @Override
    synchronized void unhook() {
        if (states != null) {
            states.cancel();
        }
        if (down != null) {
            down.cancel();
        }
    }
}
