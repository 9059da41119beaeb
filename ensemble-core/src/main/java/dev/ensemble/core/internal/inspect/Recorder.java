package dev.ensemble.core.internal.inspect;

/**
 * INTERNAL API: something that receives the messages entering the actors under a path while it
 * is registered with {@link Recorders}: a trace, or the history. Called on actors' threads: must
 * be fast, never block, never throw.
 */
interface Recorder {
    /** @return the path whose actors (it and those under it) it records */
    String prefix();

    /** @param event one message that entered an actor under {@link #prefix()} */
    void record(TraceEvent event);
}
