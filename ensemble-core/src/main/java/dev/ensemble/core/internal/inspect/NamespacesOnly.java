package dev.ensemble.core.internal.inspect;

import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.cell.CellTap;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * INTERNAL API: the {@link InspectedSystem} of an inspector built from namespaces alone: no cells,
 * and a timer thread of its own (a daemon, made on first use) for the bounds of its streams.
 */
final class NamespacesOnly implements InspectedSystem {
    private final String name;
    private volatile ScheduledExecutorService timer;

    NamespacesOnly(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ActorCell<?>> cells() {
        return List.of();
    }

    @Override
    public Collection<String> supervisors() {
        return List.of();
    }

    @Override
    public Collection<String> pools() {
        return List.of();
    }

    @Override
    public ScheduledExecutorService timer() {
        ScheduledExecutorService t = timer;
        if (t == null) {
            synchronized (this) {
                t = timer;
                if (t == null) {
                    ScheduledThreadPoolExecutor made = new ScheduledThreadPoolExecutor(1, runnable -> {
                        Thread thread = new Thread(runnable, "ensemble-inspect-" + name + "-timer");
                        thread.setDaemon(true);
                        return thread;
                    });
                    made.setRemoveOnCancelPolicy(true);
                    timer = made;
                    t = made;
                }
            }
        }
        return t;
    }

    @Override
    public Duration askTimeout() {
        return Duration.ofSeconds(5);
    }

    @Override
    public void defaultTap(CellTap tap) {}
}
