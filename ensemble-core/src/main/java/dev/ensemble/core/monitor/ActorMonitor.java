package dev.ensemble.core.monitor;

import dev.ensemble.core.ActorStatus;

/**
 * A hook that sees every message of every actor in a system, and every change of status: the
 * basis for metrics, tracing and inspector tools.
 *
 * <p>Override what you need; the methods do nothing by default, so new ones break nobody.
 *
 * <h2>Callback rules</h2>
 * Methods are called on the actor's own thread, right after the message's turn, while the actor
 * waits: be fast, take no locks that actors might hold, never throw (a throwing monitor is
 * logged and otherwise ignored) and never call back into the actor synchronously. Calls for one
 * actor are sequential; calls for different actors may be concurrent.
 *
 * <pre>{@code
 * ActorMonitor slowTurns = new ActorMonitor() {
 *     public void onMessage(MessageTrace trace) {
 *         if (trace.runNanos() > 1_000_000) log.warn("slow turn {}", trace);
 *     }
 * };
 * }</pre>
 */
public abstract class ActorMonitor {
    /** A monitor that does nothing; costs nothing. */
    public static final ActorMonitor NONE = new ActorMonitor() {};

    /**
     * Called after each message ran or was dropped.
     *
     * @param trace what happened
     */
    public void onMessage(MessageTrace trace) {}

    /**
     * Called when an actor changes status.
     *
     * @param actor the actor's name
     * @param status its new status
     * @param cause the failure behind a restart or stop, or null
     */
    public void onStatusChanged(String actor, ActorStatus status, Throwable cause) {}
}
