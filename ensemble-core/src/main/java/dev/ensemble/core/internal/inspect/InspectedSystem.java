package dev.ensemble.core.internal.inspect;

import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.cell.CellTap;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * INTERNAL API: what the inspector sees of the thing it inspects: an actor system (its cells,
 * supervisors and pools, made by {@code ActorSystem}) or nothing but mounted namespaces. Thread-safe.
 */
public interface InspectedSystem {
    /** @return the system's name, for the hello line */
    String name();

    /** @return every live cell, in creation order */
    List<ActorCell<?>> cells();

    /** @return the paths of the supervisors of its trees */
    Collection<String> supervisors();

    /** @return the paths of its pools */
    Collection<String> pools();

    /** @return where the inspector's timers run: rates, stream bounds */
    ScheduledExecutorService timer();

    /** @return how long a {@code send} ask waits */
    Duration askTimeout();

    /** @param tap what cells made from now on start with (null: nothing records) */
    void defaultTap(CellTap tap);

    /** A system of namespaces alone. */
    static InspectedSystem namespacesOnly(String name) {
        return new NamespacesOnly(name);
    }
}
