package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * INTERNAL API: one open stream of a session ({@code trace} or {@code watch}): events while it
 * runs, then one reply {@code {"ended":…,"count":N,"dropped":N}}. It ends exactly once: at its
 * {@code max} events, after its {@code seconds}, on {@code cancel}, when its actor stops, or
 * (without a reply) when its session closes. Ending unhooks it from what fed it, on the timer
 * thread, so that an actor whose event reached {@code max} pays for nothing more than its event.
 *
 * <p>Threading: {@link #emit} from any thread (actors, listeners), serialized by this object's
 * lock, which is held for a queue offer only; the end reply is queued under the same lock, after
 * every event, so events never follow it.
 */
abstract class Stream {
    final long id;
    private final SessionWriter writer;
    private final ScheduledExecutorService timer;
    private final Runnable onEnded;
    private final long max;
    private long count;
    private long dropped;
    private boolean ended;
    private Future<?> deadline;

    /**
     * @param max events at most (Long.MAX_VALUE: unbounded)
     * @param onEnded told once it ended (its session forgets it)
     */
    Stream(long id, SessionWriter writer, ScheduledExecutorService timer, long max, Runnable onEnded) {
        this.id = id;
        this.writer = writer;
        this.timer = timer;
        this.max = max;
        this.onEnded = onEnded;
    }

    /** Starts it: hooks it to its source and arms the time bound. */
    final void start(long seconds) {
        if (seconds > 0 && seconds < Long.MAX_VALUE) {
            try {
                deadline = timer.schedule(() -> end("seconds", true), seconds, TimeUnit.SECONDS);
            } catch (RejectedExecutionException systemStopped) {
                end("actor-stopped", true, true);
                return;
            }
        }
        hook();
    }

    /** Connects it to what feeds it. Called once, from {@link #start}. */
    abstract void hook();

    /** Disconnects it from what feeds it. Called once, on the timer thread or the closing one. */
    abstract void unhook();

    /** Sends one event; drops it (counted) if the session's writer is full; ends it at max. */
    final synchronized void emit(JsonNode event) {
        if (ended) {
            return;
        }
        if (writer.offerEvent(Json.event(id, event))) {
            count++;
        } else {
            dropped++;
        }
        if (count + dropped >= max) {
            end("max", true);
        }
    }

    /**
     * Ends it once.
     *
     * @param reason {@code max}, {@code seconds}, {@code cancelled} or {@code actor-stopped}
     * @param reply false when its session closes: nobody reads the reply
     */
    final void end(String reason, boolean reply) {
        end(reason, reply, false);
    }

    /**
     * Ends it once, and unhooks it before returning when {@code inline} (for {@code cancel} and a
     * closing session, whose callers then know the actors pay nothing more).
     */
    final void end(String reason, boolean reply, boolean inline) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            if (reply) {
                ObjectNode result = Json.object();
                result.put("ended", reason);
                result.put("count", count);
                result.put("dropped", dropped);
                writer.reply(Json.reply(id, result));
            }
        }
        Future<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
        if (inline) {
            finish();
            return;
        }
        try {
            timer.execute(this::finish);
        } catch (RejectedExecutionException timerStopped) {
            finish();
        }
    }

    private void finish() {
        try {
            unhook();
        } finally {
            onEnded.run();
        }
    }

    /** @return whether it ended */
    final synchronized boolean ended() {
        return ended;
    }
}
