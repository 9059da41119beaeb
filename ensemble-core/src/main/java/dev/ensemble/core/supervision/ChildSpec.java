package dev.ensemble.core.supervision;

/**
 * What a supervisor of a tree starts: a worker, a supervisor of its own, or a pool of replicas.
 * Its name is one segment of the paths below it ({@code /piano/room/presence}).
 *
 * <p>Thread-safe: every implementation is immutable.
 */
public sealed interface ChildSpec permits WorkerSpec, SupervisorSpec, PoolSpec {
    /** @return its name among its siblings: letters, digits and {@code . _ : -} */
    String name();
}
