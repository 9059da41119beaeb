package dev.ensemble.core.internal.inspect;

import dev.ensemble.core.Subscription;
import dev.ensemble.core.internal.cell.ActorCell;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * INTERNAL API: a {@code trace} stream: a {@link Recorder} of the messages entering the actors
 * under its path, registered with {@link Recorders} while it runs (those of this system, and of
 * each mounted system its path reaches into). Traced at one actor, it ends
 * with {@code actor-stopped} when that actor stops.
 */
final class TraceStream extends Stream implements Recorder {
    private final String prefix;
    private final InspectorEngine engine;
    /** Where it is registered while it runs: this system's recorders and mounted systems'. */
    private volatile List<InspectorEngine.Tap> taps = List.of();
    /** The actor traced, if the path is one; its stop ends the trace. */
    private final ActorCell<?> actor;

    private volatile Subscription down;

    TraceStream(
            long id,
            SessionWriter writer,
            ScheduledExecutorService timer,
            long max,
            Runnable onEnded,
            String prefix,
            InspectorEngine engine,
            ActorCell<?> actor) {
        super(id, writer, timer, max, onEnded);
        this.prefix = prefix;
        this.engine = engine;
        this.actor = actor;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public void record(TraceEvent event) {
        emit(event.toJson());
    }

    @Override
    void hook() {
        List<InspectorEngine.Tap> made = engine.taps(prefix, this);
        taps = made;
        made.forEach(InspectorEngine.Tap::add);
        if (actor != null) {
            down = actor.client().onDown(signal -> end("actor-stopped", true));
        }
    }

    @Override
    void unhook() {
        taps.forEach(InspectorEngine.Tap::remove);
        Subscription d = down;
        if (d != null) {
            d.cancel();
        }
    }
}
