package dev.ensemble.remote.inspect;

import dev.ensemble.core.Subscription;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.core.inspect.Inspector;
import dev.ensemble.remote.AccessPolicy;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteActors;
import dev.ensemble.transport.PeerId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node serving its {@link Inspector} to remote shells; made by {@link RemoteInspection#serve}.
 * {@link #close()} withdraws the service and ends every session.
 *
 * <h2>How it is built, and why</h2>
 *
 * The service is a {@linkplain RemoteActors#exposeService service of calls only} named {@value
 * InspectionGate#NAME}, not an exposed actor: an actor's events go to every subscriber and its
 * actions do not know who calls, so it could neither grant access per did:key nor keep one
 * shell's lines from another. A service's call runs on the actions object chosen for the verified
 * calling node, here that node's gate, which holds only that node's sessions. Lines travel back in
 * the replies of the shell's polls (an ask, answered when lines wait or after a short wait), which
 * reach only the node that asked; a poll is outstanding at a time, so lines arrive in order, and a
 * shell that reads slowly holds at most the session's bound here ({@link InspectionLimits}).
 * Requests are tells, in order behind each other (FIFO per pair of nodes); they are handed to the
 * inspector on a thread of this service, one at a time per session, never on the transport's
 * thread, so a slow request holds up its own session only.
 *
 * <h2>Grants</h2>
 *
 * The grants are asked on every call: a node without one gets {@code UNAUTHORIZED} before anything
 * opens, and its calls never reach the inspector. A session keeps the access it opened with.
 *
 * <h2>Ending</h2>
 *
 * A session ends when its shell closes it, when the shell's node goes down (its connection closes,
 * the failure detector judges it dead, or it restarts: {@link RemoteActors#onNodeDown}), when the
 * shell leaves more lines untaken than its bound, or when this service closes. Ending closes the
 * inspector's session, which stops its traces and watches.
 *
 * <p>Thread-safe.
 */
public final class InspectionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InspectionService.class);
    /** The longest a poll waits here, whatever the shell asks. */
    static final long MAX_POLL_WAIT_MS = 10_000;
    /** Why sessions end when the service closes. */
    static final String STOPPED_SERVING = "the node stopped serving inspection";

    private final Inspector inspector;
    private final Function<PeerId, Optional<InspectionAccess>> grants;
    private final InspectionLimits limits;
    private final Map<PeerId, Gate> gates = new ConcurrentHashMap<>();
    private final AtomicLong open = new AtomicLong();
    private final ScheduledThreadPoolExecutor scheduler;
    /** Hands requests to the inspector, off the transport's thread; a thread per busy session at most. */
    private final ExecutorService requestThreads;

    private final Subscription exposure;
    private final Subscription downs;
    private volatile boolean closed;

    InspectionService(
            RemoteActors remote,
            Inspector inspector,
            Function<PeerId, Optional<InspectionAccess>> grants,
            InspectionLimits limits) {
        this.inspector = inspector;
        this.grants = grants;
        this.limits = limits;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ensemble-inspect-polls");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.requestThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "ensemble-inspect-requests");
            thread.setDaemon(true);
            return thread;
        });
        // Every node may call; the grants decide, per call, in gateFor.
        this.exposure = remote.exposeService(
                InspectionGate.NAME,
                InspectionGate.class,
                AccessPolicy.everyone(Permission.TELL, Permission.ASK),
                this::gateFor);
        this.downs = remote.onNodeDown(node -> endAll(node, "node " + node.shortForm() + " went down"));
    }

    /** @return the sessions open now, of all nodes */
    public int sessions() {
        return (int) open.get();
    }

    /**
     * @param node a node
     * @return the sessions it has open here now
     */
    public int sessions(PeerId node) {
        Gate gate = gates.get(node);
        return gate == null ? 0 : gate.sessions.size();
    }

    /** Withdraws the service and ends every session. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        exposure.cancel();
        downs.cancel();
        for (PeerId node : gates.keySet()) {
            endAll(node, STOPPED_SERVING);
        }
        scheduler.shutdownNow();
        requestThreads.shutdown();
    }

    private Gate gateFor(PeerId node) {
        if (closed || grants.apply(node).isEmpty()) {
            return null;
        }
        return gates.computeIfAbsent(node, Gate::new);
    }

    private void endAll(PeerId node, String reason) {
        Gate gate = gates.get(node);
        if (gate == null) {
            return;
        }
        for (ServedSession session : List.copyOf(gate.sessions.values())) {
            // Nobody will take its last lines: forget it now.
            session.end(reason);
            gate.sessions.remove(session.id, session);
        }
    }

    /** One node's way in: its calls run here, and reach its own sessions only. */
    private final class Gate implements InspectionGate {
        final PeerId node;
        final Map<Long, ServedSession> sessions = new ConcurrentHashMap<>();
        final AtomicLong ids = new AtomicLong();

        Gate(PeerId node) {
            this.node = node;
        }

        @Override
        public CompletableFuture<Long> open() {
            Optional<InspectionAccess> access = grants.apply(node);
            if (access.isEmpty() || closed) {
                // Withdrawn between the check of this call and now.
                return CompletableFuture.failedFuture(
                        new SecurityException("node " + node + " has no inspection grant here"));
            }
            ServedSession session;
            long id;
            synchronized (this) {
                if (sessions.size() >= limits.maxSessionsPerNode()) {
                    return CompletableFuture.failedFuture(new IllegalStateException("busy: node " + node.shortForm()
                            + " already has " + sessions.size()
                            + " inspection sessions open here (maxSessionsPerNode); close one first"));
                }
                if (open.incrementAndGet() > limits.maxSessions()) {
                    open.decrementAndGet();
                    return CompletableFuture.failedFuture(new IllegalStateException("busy: this node already has "
                            + limits.maxSessions() + " inspection sessions open (maxSessions); try again later"));
                }
                id = ids.incrementAndGet();
                session = new ServedSession(
                        id,
                        node,
                        access.get(),
                        limits,
                        ForkJoinPool.commonPool(),
                        requestThreads,
                        scheduler,
                        this::ended);
                sessions.put(id, session);
            }
            InspectionSession inner;
            try {
                inner = inspector.open(access.get(), session::line);
            } catch (RuntimeException e) {
                LOG.warn("the inspector failed to open a session for node {}", node.shortForm(), e);
                session.end("the inspector failed to open a session");
                sessions.remove(id, session);
                return CompletableFuture.failedFuture(e);
            }
            session.opened(inner);
            LOG.info("node {} attached for inspection ({}), session {}", node.shortForm(), access.get(), id);
            return CompletableFuture.completedFuture(id);
        }

        @Override
        public void request(long session, String line) {
            ServedSession served = sessions.get(session);
            if (served == null) {
                LOG.debug("request for no session {} of node {} dropped", session, node.shortForm());
                return;
            }
            served.request(line == null ? "" : line);
        }

        @Override
        public CompletableFuture<List<String>> poll(long session, long waitMillis) {
            ServedSession served = sessions.get(session);
            if (served == null) {
                return CompletableFuture.failedFuture(
                        new InspectionEndedException("no inspection session " + session + " of this shell here"));
            }
            CompletableFuture<List<String>> lines = served.poll(Math.max(0, Math.min(MAX_POLL_WAIT_MS, waitMillis)));
            if (served.ended()) {
                // Its last lines are taken or being taken: forget it once this poll is answered.
                lines.whenComplete((unused, error) -> {
                    if (error != null) {
                        sessions.remove(session, served);
                    }
                });
            }
            return lines;
        }

        @Override
        public void close(long session) {
            ServedSession served = sessions.remove(session);
            if (served != null) {
                served.end("the shell detached");
            }
        }

        /** Told once per session, when it ends, whatever ended it. */
        private void ended(ServedSession session, String reason) {
            open.decrementAndGet();
            LOG.info("inspection session {} of node {} ended: {}", session.id, node.shortForm(), reason);
        }
    }
}
