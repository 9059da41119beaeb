package dev.ensemble.core.internal.cell;

/**
 * INTERNAL API: the supervisor of a tree, as the cells under it see it. When an instance fails,
 * its cell ends it, holds its mailbox and tells this handler, which later calls
 * {@link ActorCell#resumeRestart()} or stops the cell.
 *
 * <p>Threading: called on the failing actor's turn thread; implementations hand the decision
 * to their own serial order and return at once.
 */
public interface ChildFailureHandler {
    /**
     * @param child the cell whose instance failed; it waits for the decision
     * @param cause the failure
     */
    void childFailed(ActorCell<?> child, Throwable cause);
}
