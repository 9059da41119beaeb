package dev.ensemble.core.dispatch;

import java.util.Objects;

/**
 * Which thread runs an actor's turns, chosen by name so that configuration, not code, decides.
 *
 * <ul>
 *   <li>{@link #shared()} ({@value #SHARED}): the system's work-stealing pool, one worker per core.
 *       An actor is scheduled when its mailbox becomes non-empty and handles up to
 *       {@code throughput} messages per turn before yielding its worker. The default.</li>
 *   <li>{@link #dedicated()} ({@value #DEDICATED}): a thread of the actor's own, named after it.
 *       For actors that block, or that call native code that must stay on one thread.</li>
 *   <li>{@link #callingThread()} ({@value #CALLING_THREAD}): turns run on the thread that sent the
 *       message, to completion, for deterministic tests. A message sent from inside a turn goes
 *       to the tail of the mailbox and runs after the current turn.</li>
 * </ul>
 *
 * <p>Thread-safe: immutable.
 *
 * @param name one of {@value #SHARED}, {@value #DEDICATED}, {@value #CALLING_THREAD}
 */
public record DispatcherSelector(String name) {
    /** The name of the shared pool. */
    public static final String SHARED = "shared";
    /** The name of the thread-per-actor dispatcher. */
    public static final String DEDICATED = "dedicated";
    /** The name of the calling-thread dispatcher. */
    public static final String CALLING_THREAD = "calling-thread";

    private static final DispatcherSelector SHARED_SELECTOR = new DispatcherSelector(SHARED);
    private static final DispatcherSelector DEDICATED_SELECTOR = new DispatcherSelector(DEDICATED);
    private static final DispatcherSelector CALLING_SELECTOR = new DispatcherSelector(CALLING_THREAD);

    /**
     * @param name the dispatcher's name
     * @throws IllegalArgumentException if the name is not one of the known dispatchers
     */
    public DispatcherSelector {
        Objects.requireNonNull(name, "name");
        if (!name.equals(SHARED) && !name.equals(DEDICATED) && !name.equals(CALLING_THREAD)) {
            throw new IllegalArgumentException("unknown dispatcher \"" + name + "\" (expected one of: " + SHARED + ", "
                    + DEDICATED + ", " + CALLING_THREAD + ")");
        }
    }

    /** @return the shared work-stealing pool (the default) */
    public static DispatcherSelector shared() {
        return SHARED_SELECTOR;
    }

    /** @return a dedicated thread per actor */
    public static DispatcherSelector dedicated() {
        return DEDICATED_SELECTOR;
    }

    /** @return the calling thread, for deterministic tests */
    public static DispatcherSelector callingThread() {
        return CALLING_SELECTOR;
    }

    /**
     * @param name a dispatcher name, as in a configuration file
     * @return its selector
     * @throws IllegalArgumentException if the name is unknown
     */
    public static DispatcherSelector named(String name) {
        return new DispatcherSelector(name);
    }
}
