package dev.ensemble.core.internal.tree;

import dev.ensemble.core.bus.BusMessage;
import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.cell.ChildFailureHandler;
import dev.ensemble.core.internal.cell.Supervisor;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorStrategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: a supervisor of a tree: it restarts its children by its strategy within its
 * intensity, and escalates to its own supervisor when that is exceeded.
 *
 * <p>Every decision and every order from its own supervisor runs in its {@link SerialOrder}, one
 * at a time: a failure is decided only once the restart ordered before it has completed. A
 * restart suspends the affected children in reverse start order, waits the backoff, then
 * restarts them in start order, each one's start hook completing before the next begins. A
 * supervisor never waits on its own order, only on its children's, so orders flow down the
 * tree and reports up, and nothing waits in a circle.
 *
 * <p>Threading: thread-safe. The fields marked <em>order-owned</em> are touched only by steps of
 * its serial order, which run one at a time, each after the previous one completed.
 */
final class SupervisorNode implements TreeMember, ChildFailureHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorNode.class);

    private final String path;
    private final String name;
    private final RestartStrategy strategy;
    private final SupervisorStrategy limits;
    /** Null for a supervisor directly under the system's root. */
    private final SupervisorNode parent;

    private final SerialOrder order;
    private final Executor executor;
    private final BusRouter router;
    /**
     * Set by the builder, in start order, before any child starts; a pool's replaced by steps of
     * its serial order when it resizes.
     */
    private volatile List<TreeMember> children = List.of();
    /** What its own supervisor knows it as: itself, or the pool it runs the replicas of. */
    private volatile TreeMember representative = this;

    /** Order-owned: the intensity window, fresh when this supervisor is restarted. */
    private Supervisor intensity;
    /** True once it gave up and escalated, until its supervisor restarts it. */
    private volatile boolean escalated;
    /** True once the system stops or this subtree stopped for good: no more decisions. */
    private volatile boolean stopped;

    SupervisorNode(
            String path,
            String name,
            RestartStrategy strategy,
            SupervisorStrategy limits,
            SupervisorNode parent,
            TreeServices shared) {
        this.path = path;
        this.name = name;
        this.strategy = strategy;
        this.limits = limits;
        this.parent = parent;
        this.executor = shared.executor();
        this.order = new SerialOrder(path, executor, shared.treeStarted());
        this.router = new BusRouter(path, shared.deadLetters());
        this.intensity = Supervisor.of(limits);
    }

    void children(List<TreeMember> members) {
        this.children = List.copyOf(members);
    }

    /** @param member what its supervisor knows it as, when that is not this node (a pool) */
    void representedBy(TreeMember member) {
        this.representative = member;
    }

    /** Runs a step in this supervisor's serial order, after every decision queued before it. */
    CompletableFuture<Void> inOrder(Supplier<CompletableFuture<Void>> step) {
        return order.then(step);
    }

    List<TreeMember> children() {
        return children;
    }

    BusRouter router() {
        return router;
    }

    /** The system is stopping: its own stop order ends every actor; no more restarts. */
    void shutdown() {
        stopped = true;
        for (TreeMember child : children) {
            if (child instanceof SupervisorNode node) {
                node.shutdown();
            }
        }
    }

    boolean isStopped() {
        return stopped;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- reports from children

    @Override
    public void childFailed(ActorCell<?> child, Throwable cause) {
        for (TreeMember member : children) {
            if (member instanceof WorkerMember worker && worker.cell() == child) {
                memberFailed(member, cause);
                return;
            }
        }
        LOG.error("supervisor {}: failure of {}, which is not its child", path, child.name(), cause);
    }

    /** A child, worker or supervisor, failed (a supervisor: it gave up and escalated). */
    void memberFailed(TreeMember member, Throwable cause) {
        order.then(() -> decide(member, cause));
    }

    private CompletableFuture<Void> decide(TreeMember failed, Throwable cause) {
        if (stopped) {
            return done();
        }
        if (!failed.awaitingDecision()) {
            // A restart ordered for a sibling's failure already replaced it.
            return done();
        }
        Supervisor.Decision decision = intensity.onFailure();
        if (decision instanceof Supervisor.Stop stop) {
            return giveUp(failed, cause, stop.why());
        }
        long delay = ((Supervisor.Restart) decision).delayNanos();
        List<TreeMember> affected = affectedBy(failed);
        LOG.info(
                "supervisor {} ({}): {} failed ({}); restarting {}",
                path,
                strategy,
                failed.path(),
                String.valueOf(cause),
                affected.stream().map(TreeMember::name).toList());
        return inReverse(affected, member -> member.suspend(cause))
                .thenCompose(ignored -> delay(delay))
                .thenCompose(ignored -> inOrder(affected, TreeMember::restart))
                .thenRun(intensity::restarted);
    }

    private List<TreeMember> affectedBy(TreeMember failed) {
        List<TreeMember> all = children;
        return switch (strategy) {
            case ONE_FOR_ONE -> List.of(failed);
            case ONE_FOR_ALL -> all;
            case REST_FOR_ONE -> all.subList(all.indexOf(failed), all.size());
        };
    }

    /**
     * The intensity is exceeded: every child's instances end, and the failure goes up. At the
     * top of a tree there is nobody to restart it: the subtree stops for good.
     */
    private CompletableFuture<Void> giveUp(TreeMember failed, Throwable cause, String why) {
        SupervisorEscalation escalation = new SupervisorEscalation(path, failed.path(), why, cause);
        LOG.error("supervisor {} gives up: {}", path, escalation.getMessage());
        if (parent == null) {
            stopped = true;
            return inReverse(children, TreeMember::stop);
        }
        return inReverse(children, member -> member.suspend(escalation)).thenRun(() -> {
            escalated = true;
            parent.memberFailed(representative, escalation);
        });
    }

    // ---------------------------------------------------------------- orders from the parent

    @Override
    public CompletableFuture<Void> suspend(Throwable cause) {
        return order.then(() -> inReverse(children, member -> member.suspend(cause)));
    }

    /** As OTP restarts a supervisor: with a fresh intensity, its children started in order. */
    @Override
    public CompletableFuture<Void> restart() {
        return order.then(() -> {
            escalated = false;
            intensity = Supervisor.of(limits);
            return inOrder(children, TreeMember::restart);
        });
    }

    @Override
    public CompletableFuture<Void> stop() {
        return order.then(() -> {
            stopped = true;
            return inReverse(children, TreeMember::stop);
        });
    }

    @Override
    public boolean awaitingDecision() {
        return escalated;
    }

    @Override
    public void deliver(BusMessage message) {
        router.route(message);
    }

    // ---------------------------------------------------------------- sequencing

    private static CompletableFuture<Void> inOrder(
            List<TreeMember> members, Function<TreeMember, CompletableFuture<Void>> step) {
        CompletableFuture<Void> chain = done();
        for (TreeMember member : members) {
            chain = chain.thenCompose(ignored -> step.apply(member));
        }
        return chain;
    }

    private static CompletableFuture<Void> inReverse(
            List<TreeMember> members, Function<TreeMember, CompletableFuture<Void>> step) {
        List<TreeMember> reversed = new ArrayList<>(members);
        Collections.reverse(reversed);
        return inOrder(reversed, step);
    }

    private CompletableFuture<Void> delay(long nanos) {
        if (nanos <= 0) {
            return done();
        }
        return CompletableFuture.runAsync(
                () -> {}, CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS, executor));
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String toString() {
        return path;
    }
}
