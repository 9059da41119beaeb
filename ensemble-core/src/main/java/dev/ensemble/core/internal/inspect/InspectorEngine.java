package dev.ensemble.core.internal.inspect;

import dev.ensemble.core.Subscription;
import dev.ensemble.core.inspect.InspectableNamespace;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.core.inspect.Inspector;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: the {@link Inspector} of an {@link InspectedSystem}: the sessions, the mounted
 * namespaces, the rate sampler, the tap and the history they share.
 *
 * <h2>What it costs while nobody looks</h2>
 * Made, with no session open: nothing runs. With a session open: one tick a second on the
 * system's timer (samples every cell's handled-message counter for the rates, and puts the tap
 * into cells made since the last change). With a trace or the history on: the tap in every cell,
 * so each message entering a recorded actor is stamped and recorded. Everything stops with the
 * last stream and the last session.
 *
 * <p>Threading: thread-safe.
 */
public final class InspectorEngine implements Inspector {
    private static final Logger LOG = LoggerFactory.getLogger(InspectorEngine.class);

    private final InspectedSystem system;
    private final Map<String, InspectableNamespace> mounts = new ConcurrentSkipListMap<>();
    private final RateSampler rates = new RateSampler();
    private final Recorders recorders;
    private final HistoryRing history = new HistoryRing(HistoryRing.DEFAULT_CAPACITY);
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong sessionNumbers = new AtomicLong();
    private Future<?> ticks;

    public InspectorEngine(InspectedSystem system) {
        this.system = Objects.requireNonNull(system, "system");
        this.recorders = new Recorders(system);
    }

    @Override
    public InspectionSession open(InspectionAccess access, Consumer<String> sink) {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(sink, "sink");
        Session session = new Session(
                this, access, sink, "ensemble-inspect-" + system.name() + "-" + sessionNumbers.incrementAndGet());
        synchronized (this) {
            sessions.add(session);
            if (ticks == null) {
                tick();
                try {
                    ticks = system.timer()
                            .scheduleAtFixedRate(
                                    this::tick,
                                    RateSampler.PERIOD_NANOS,
                                    RateSampler.PERIOD_NANOS,
                                    TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException stopped) {
                    LOG.debug("system \"{}\" is stopping: no rates for this session", system.name());
                }
            }
        }
        return session;
    }

    private void tick() {
        try {
            rates.sample(system.cells(), System.nanoTime());
            if (recorders.recording()) {
                recorders.reapply();
            }
        } catch (RuntimeException e) {
            LOG.warn("inspector tick of system \"{}\" failed", system.name(), e);
        }
    }

    /** A session closed: with the last one, the ticks stop and the samples go. */
    synchronized void closed(Session session) {
        sessions.remove(session);
        if (sessions.isEmpty() && ticks != null) {
            ticks.cancel(false);
            ticks = null;
            rates.clear();
        }
    }

    @Override
    public Subscription mount(String path, InspectableNamespace namespace) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(namespace, "namespace");
        String normal = InspectModel.normalize(path);
        if (!normal.startsWith("/") || normal.equals("/") || normal.contains("//")) {
            throw new IllegalArgumentException(
                    "mount path must be absolute and not the root, such as /rooms, but was \"" + path + "\"");
        }
        if (mounts.putIfAbsent(normal, namespace) != null) {
            throw new IllegalArgumentException("a namespace is already mounted at " + normal);
        }
        return () -> mounts.remove(normal, namespace);
    }

    InspectedSystem system() {
        return system;
    }

    InspectModel model() {
        return InspectModel.of(system, mounts);
    }

    EntryJson entries() {
        return new EntryJson(rates, System.nanoTime());
    }

    Recorders recorders() {
        return recorders;
    }

    HistoryRing historyRing() {
        return history;
    }

    /** Switches the history on (installing the tap) or off (removing it, keeping what it holds). */
    synchronized void history(boolean on) {
        if (on == history.on()) {
            return;
        }
        history.on(on);
        if (on) {
            recorders.add(history);
        } else {
            recorders.remove(history);
        }
    }

    /**
     * @return whether any cell (or the default for new cells) has the tap installed: false means
     *     the actors run no inspection code at all
     */
    public boolean tapInstalled() {
        if (system.cells().stream().anyMatch(cell -> cell.tap() != null)) {
            return true;
        }
        return recorders.recording();
    }

    /**
     * The system has stopped its actors: streams end ({@code actor-stopped}; their time bounds ran on
     * the system's timer, which stops next), the ticks stop. Sessions stay open for their transports
     * to close; what they ask is answered from what is left.
     */
    public void systemStopped() {
        for (Session session : sessions) {
            session.systemStopped();
        }
        synchronized (this) {
            if (ticks != null) {
                ticks.cancel(false);
                ticks = null;
            }
        }
    }

    /** @return how many sessions are open */
    public int openSessions() {
        return sessions.size();
    }
}
