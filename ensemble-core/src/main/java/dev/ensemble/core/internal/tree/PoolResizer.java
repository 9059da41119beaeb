package dev.ensemble.core.internal.tree;

import dev.ensemble.core.supervision.ResizerSpec;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * INTERNAL API: the resizing rule of {@link ResizerSpec}, as a pure function of the samples it
 * is given: it decides only; the pool carries the decision out.
 *
 * <p>Threading: confined to its pool's serial order.
 */
final class PoolResizer {
    /** One measurement: when, how many messages waited, and the replicas' total busy time. */
    record Sample(long atNanos, int queued, long busyNanos) {}

    /** A resize to {@code target}, with why and the measurements behind it. */
    record Decision(int target, String reason, int queued, int queueGrowth, double busyFraction) {}

    private final ResizerSpec spec;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long lastResize;
    private boolean resizedBefore;

    PoolResizer(ResizerSpec spec) {
        this.spec = spec;
    }

    /**
     * Records a sample and decides.
     *
     * @param size the replicas now
     * @return the resize to make, or null for none
     */
    Decision onSample(Sample sample, int size) {
        samples.addLast(sample);
        long window = spec.window().toNanos();
        long shrinkAfter = spec.shrinkAfter().toNanos();
        long horizon = Math.max(window, shrinkAfter);
        // Keep the newest sample that is at least a horizon old, so that the window stays full
        // when ticks come late (a timer is never exact).
        while (samples.size() > 2 && sample.atNanos() - secondOldest().atNanos() >= horizon) {
            samples.pollFirst();
        }
        if (coolingDown(sample.atNanos())) {
            return null;
        }
        Sample windowStart = newestAtLeast(sample.atNanos() - window);
        if (windowStart != null && size < spec.upper()) {
            int growth = sample.queued() - windowStart.queued();
            if (growth >= 0 && sample.queued() >= size) {
                return grow(sample, windowStart, growth, size);
            }
        }
        Sample idleStart = newestAtLeast(sample.atNanos() - shrinkAfter);
        if (idleStart == null || size <= spec.lower()) {
            return null;
        }
        double busy = busyFraction(idleStart, sample, size);
        boolean quiet = samples.stream()
                .filter(s -> s.atNanos() - idleStart.atNanos() >= 0)
                .allMatch(s -> s.queued() == 0);
        if (quiet && busy < spec.busyBelow()) {
            int target = Math.max(spec.lower(), Math.min(size - 1, (int) Math.ceil(size * busy / spec.busyBelow())));
            String why = "idle: nothing queued over " + spec.shrinkAfter().toMillis() + " ms, busy "
                    + Math.round(busy * 100) + " % (below " + Math.round(spec.busyBelow() * 100) + " %)";
            return new Decision(target, why, 0, sample.queued() - idleStart.queued(), busy);
        }
        return null;
    }

    private Decision grow(Sample sample, Sample windowStart, int growth, int size) {
        double busy = busyFraction(windowStart, sample, size);
        String why = growth > 0
                ? "queue grew by " + growth + " to " + sample.queued() + " over "
                        + spec.window().toMillis() + " ms"
                : "queue held at " + sample.queued() + " over " + spec.window().toMillis() + " ms";
        return new Decision(growTarget(sample, size), why, sample.queued(), growth, busy);
    }

    /**
     * Decides on an arrival: a message routed to a replica left more than the arrival threshold
     * waiting there. Grows if more than that many wait per replica in the whole pool, so that one
     * replica's backlog alone (a hot key, a slow message) does not grow a pool whose other
     * replicas keep up. Does not record the sample: the window stays the ticks'.
     *
     * <p>Not held by the cool-down. The cool-down is there against flapping and against a run of
     * small steps on weak evidence, and this rule has neither: it only grows, every step at least
     * doubles (so at most log2(upper / lower) steps follow one another), and it fires only when
     * more than the threshold waits per replica of the size the last step made, that is more than
     * threshold times the messages that step gave a replica to. Held, a tick's step from 1 to 2 on
     * one waiting message would leave a burst with 2 replicas for the whole cool-down. Shrinking
     * stays held: each resize restarts the cool-down and the samples, so an arrival's growth also
     * puts off the next shrink.
     *
     * @param sample the pool measured now
     * @param size the replicas now
     * @param waitingThere what the arrival found waiting in its replica
     * @return the resize to make, or null for none
     */
    Decision onArrival(Sample sample, int size, int waitingThere) {
        int threshold = spec.arrivalThreshold();
        if (threshold == 0 || size >= spec.upper()) {
            return null;
        }
        if (sample.queued() <= (long) threshold * size) {
            return null;
        }
        Sample last = samples.peekLast();
        boolean earlier = last != null && sample.atNanos() - last.atNanos() > 0;
        int growth = earlier ? sample.queued() - last.queued() : 0;
        double busy = earlier ? busyFraction(last, sample, size) : 0;
        String why = "arrival: " + waitingThere + " waiting in the replica a message was routed to, " + sample.queued()
                + " in " + size + (size == 1 ? " replica" : " replicas") + " (more than " + threshold + " per replica)";
        return new Decision(growTarget(sample, size), why, sample.queued(), growth, busy);
    }

    /**
     * At least double; a replica for each message waiting if that is more, so that a burst meets
     * its replicas in one step rather than in several cool-downs.
     */
    private int growTarget(Sample sample, int size) {
        return Math.min(spec.upper(), Math.max(size * 2, sample.queued()));
    }

    private boolean coolingDown(long nanos) {
        return resizedBefore && nanos - lastResize < spec.cooldown().toNanos();
    }

    private static double busyFraction(Sample from, Sample to, int size) {
        long span = to.atNanos() - from.atNanos();
        return Math.min(1, Math.max(0, (to.busyNanos() - from.busyNanos()) / ((double) span * size)));
    }

    /** @return the newest sample taken at or before {@code nanos}, or null if none is that old */
    private Sample newestAtLeast(long nanos) {
        Sample found = null;
        for (Sample s : samples) {
            if (s.atNanos() - nanos > 0) {
                break;
            }
            found = s;
        }
        return found;
    }

    private Sample secondOldest() {
        Iterator<Sample> it = samples.iterator();
        it.next();
        return it.next();
    }

    /** The decided resize was made at {@code nanos}: the cool-down starts, the window starts over. */
    void resized(long nanos) {
        lastResize = nanos;
        resizedBefore = true;
        samples.clear();
    }
}
