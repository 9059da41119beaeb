package dev.ensemble.core.internal.tree;

/**
 * INTERNAL API: the failure a supervisor reports to its own supervisor when its intensity is
 * exceeded; the cause is the child failure that exceeded it. It is what the restarted children's
 * {@code onRestart} and, if the subtree stops, their watchers' {@link dev.ensemble.core.Down} see.
 */
public final class SupervisorEscalation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SupervisorEscalation(String supervisor, String child, String why, Throwable cause) {
        super("supervisor " + supervisor + " gave up after " + child + " failed: " + why, cause);
    }
}
