package dev.ensemble.core.internal.inspect;

import dev.ensemble.core.Subscription;
import dev.ensemble.core.inspect.InspectableNamespace;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.core.inspect.Inspector;
import dev.ensemble.core.internal.cell.ActorCell;
import java.util.ArrayList;
import java.util.List;
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
 * <h2>Mounted systems</h2>
 * Other systems' engines mounted at a path ({@link #mount(String, Inspector)}) join this one's
 * tree: the model lists their nodes under the prefix ({@link MountedSystem}), the rate sampler
 * samples their cells too, and traces and the history register with their own {@link Recorders}
 * through a {@link MountedRecorder} that puts the prefix on the paths of the events. Their engines
 * open no session and run no tick for it; nothing of theirs changes while nothing records.
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
    private static final long CELL_PATHS_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final InspectedSystem system;
    private final Map<String, InspectableNamespace> mounts = new ConcurrentSkipListMap<>();
    /** Other systems' inspectors mounted into this tree, by mount path. */
    private final Map<String, InspectorEngine> systemMounts = new ConcurrentSkipListMap<>();
    /** The history's registrations with mounted systems while it records, by mount path. */
    private final Map<String, Tap> historyTaps = new ConcurrentHashMap<>();

    private final RateSampler rates = new RateSampler();
    private final Recorders recorders;
    private final HistoryRing history = new HistoryRing(HistoryRing.DEFAULT_CAPACITY);
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong sessionNumbers = new AtomicLong();
    private Future<?> ticks;
    /** For {@link #hasActorAt}: made on first use. */
    private volatile CellPaths cellPaths = new CellPaths(Set.of(), System.nanoTime() - CELL_PATHS_REFRESH_NANOS);

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
            List<MountedSystem> mounted = mountedSystems();
            List<ActorCell<?>> cells = system.cells();
            if (!mounted.isEmpty()) {
                cells = new ArrayList<>(cells);
                for (MountedSystem m : mounted) {
                    cells.addAll(m.engine().system().cells());
                }
            }
            rates.sample(cells, System.nanoTime());
            if (recorders.recording()) {
                recorders.reapply();
            }
            for (MountedSystem m : mounted) {
                if (m.engine().recorders().recording()) {
                    m.engine().recorders().reapply();
                }
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
        String normal = mountPath(path);
        if (mounts.putIfAbsent(normal, namespace) != null) {
            throw new IllegalArgumentException("a namespace is already mounted at " + normal);
        }
        return () -> mounts.remove(normal, namespace);
    }

    @Override
    public Subscription mount(String path, Inspector other) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(other, "other");
        if (!(other instanceof InspectorEngine engine)) {
            throw new IllegalArgumentException("only an ActorSystem's inspector can be mounted as a system, but got "
                    + other.getClass().getName());
        }
        String normal = mountPath(path);
        synchronized (this) {
            if (engine == this || engine.mountsTransitively(this)) {
                throw new IllegalArgumentException("mounting system \"" + engine.system.name() + "\" at " + normal
                        + " would make a cycle: it is, or already shows, system \"" + system.name() + "\"");
            }
            for (String existing : systemMounts.keySet()) {
                if (InspectModel.under(normal, existing) || InspectModel.under(existing, normal)) {
                    throw new IllegalArgumentException("cannot mount system \"" + engine.system.name() + "\" at "
                            + normal + ": system \""
                            + systemMounts.get(existing).system.name()
                            + "\" is mounted at " + existing);
                }
            }
            systemMounts.put(normal, engine);
            if (history.on()) {
                Tap tap = new Tap(engine.recorders(), new MountedRecorder("/", normal, history, engine));
                historyTaps.put(normal, tap);
                tap.add();
            }
        }
        return () -> unmount(normal, engine);
    }

    private synchronized void unmount(String path, InspectorEngine engine) {
        if (systemMounts.remove(path, engine)) {
            Tap tap = historyTaps.remove(path);
            if (tap != null) {
                tap.remove();
            }
        }
    }

    private boolean mountsTransitively(InspectorEngine target) {
        for (InspectorEngine mounted : systemMounts.values()) {
            if (mounted == target || mounted.mountsTransitively(target)) {
                return true;
            }
        }
        return false;
    }

    private static String mountPath(String path) {
        String normal = InspectModel.normalize(path);
        if (!normal.startsWith("/") || normal.equals("/") || normal.contains("//")) {
            throw new IllegalArgumentException(
                    "mount path must be absolute and not the root, such as /rooms, but was \"" + path + "\"");
        }
        return normal;
    }

    /** @return the systems mounted here, nested ones included, each with its full prefix */
    List<MountedSystem> mountedSystems() {
        if (systemMounts.isEmpty()) {
            return List.of();
        }
        List<MountedSystem> all = new ArrayList<>();
        systemMounts.forEach((path, engine) -> {
            all.add(new MountedSystem(path, engine));
            for (MountedSystem nested : engine.mountedSystems()) {
                all.add(new MountedSystem(path + nested.prefix(), nested.engine()));
            }
        });
        return all;
    }

    /** @return the namespaces mounted here, by path */
    Map<String, InspectableNamespace> namespaceMounts() {
        return mounts;
    }

    /**
     * Where a recorder of the actors under {@code path} must be registered: with this system's
     * recorders unless the path lies inside a mounted system, and with each mounted system whose
     * tree the path contains or reaches into (translating paths both ways).
     */
    List<Tap> taps(String path, Recorder recorder) {
        List<Tap> taps = new ArrayList<>();
        boolean inside = false;
        for (MountedSystem m : mountedSystems()) {
            if (InspectModel.under(path, m.prefix())) {
                inside = true;
                taps.add(new Tap(
                        m.engine().recorders(), new MountedRecorder(m.inner(path), m.prefix(), recorder, m.engine())));
            } else if (InspectModel.under(m.prefix(), path)) {
                taps.add(new Tap(m.engine().recorders(), new MountedRecorder("/", m.prefix(), recorder, m.engine())));
            }
        }
        if (!inside) {
            taps.add(new Tap(recorders, recorder));
        }
        return taps;
    }

    /**
     * Whether an actor of this system has the path, for naming the senders of a mounted system's
     * traced messages. Called on actors' threads while a trace or the history runs through a
     * mount: answered from a set of the cells' paths, made again (at most every 100 ms) only when a
     * path is not in it, so a steady stream of senders from other systems costs a set lookup.
     */
    boolean hasActorAt(String path) {
        CellPaths known = cellPaths;
        if (known.paths().contains(path)) {
            return true;
        }
        long now = System.nanoTime();
        if (now - known.madeNanos() < CELL_PATHS_REFRESH_NANOS) {
            return false;
        }
        Set<String> paths = new java.util.HashSet<>();
        for (ActorCell<?> cell : system.cells()) {
            paths.add(InspectModel.pathOf(cell));
        }
        cellPaths = new CellPaths(paths, now);
        return paths.contains(path);
    }

    /** The paths of this system's cells, as of {@code madeNanos}. */
    private record CellPaths(Set<String> paths, long madeNanos) {}

    /** One registration of a recorder with the recorders of one system. */
    record Tap(Recorders recorders, Recorder recorder) {
        void add() {
            recorders.add(recorder);
        }

        void remove() {
            recorders.remove(recorder);
        }
    }

    InspectedSystem system() {
        return system;
    }

    InspectModel model() {
        return InspectModel.of(system, mounts, mountedSystems());
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
            for (MountedSystem m : mountedSystems()) {
                Tap tap = new Tap(m.engine().recorders(), new MountedRecorder("/", m.prefix(), history, m.engine()));
                historyTaps.put(m.prefix(), tap);
                tap.add();
            }
        } else {
            recorders.remove(history);
            historyTaps.values().forEach(Tap::remove);
            historyTaps.clear();
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
