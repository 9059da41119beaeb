package dev.ensemble.core.internal.inspect;

import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.cell.CellTap;
import dev.ensemble.core.internal.cell.TappedMessage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * INTERNAL API: the tap of one inspected system, and the traces and history it feeds. While no
 * recorder is registered every cell's tap is null, so the message path runs no inspection code at
 * all; the first recorder installs this tap in every cell (and as the default of cells made
 * later), the last one to leave removes it again.
 *
 * <p>Threading: {@link #records} and {@link #recorded} run on actors' threads (see
 * {@link CellTap}); {@link #add}, {@link #remove} and {@link #reapply} on session or timer threads,
 * serialized by this object's lock.
 */
public final class Recorders implements CellTap {
    private final InspectedSystem system;
    private final List<Recorder> active = new CopyOnWriteArrayList<>();

    Recorders(InspectedSystem system) {
        this.system = system;
    }

    /** Starts feeding a recorder; installs the tap if it is the first. */
    synchronized void add(Recorder recorder) {
        active.add(recorder);
        reapply();
    }

    /** Stops feeding a recorder; removes the tap from every cell if it was the last. */
    synchronized void remove(Recorder recorder) {
        active.remove(recorder);
        reapply();
    }

    /** @return whether any recorder is registered */
    boolean recording() {
        return !active.isEmpty();
    }

    /**
     * Puts the tap (or null) in every cell: after a change, and on the inspector's periodic tick for
     * cells made while it changed.
     */
    synchronized void reapply() {
        CellTap tap = active.isEmpty() ? null : this;
        system.defaultTap(tap);
        for (ActorCell<?> cell : system.cells()) {
            if (cell.tap() != tap) {
                cell.tap(tap);
            }
        }
    }

    @Override
    public boolean records(ActorCell<?> receiver) {
        String path = InspectModel.pathOf(receiver);
        for (Recorder recorder : active) {
            if (InspectModel.under(path, recorder.prefix())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void recorded(ActorCell<?> receiver, TappedMessage.Record message) {
        String path = InspectModel.pathOf(receiver);
        TraceEvent event = null;
        for (Recorder recorder : active) {
            if (InspectModel.under(path, recorder.prefix())) {
                if (event == null) {
                    event = TraceEvent.of(path, message, System.nanoTime(), Instant.now());
                }
                recorder.record(event);
            }
        }
    }
}
