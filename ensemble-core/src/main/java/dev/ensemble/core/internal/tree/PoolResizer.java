package dev.ensemble.core.internal.tree;

import dev.ensemble.core.supervision.ResizerSpec;
import java.util.ArrayDeque;

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
        while (samples.size() > 1 && sample.atNanos() - samples.peekFirst().atNanos() > window) {
            samples.pollFirst();
        }
        Sample oldest = samples.peekFirst();
        long span = sample.atNanos() - oldest.atNanos();
        if (span < window) {
            return null;
        }
        if (resizedBefore && sample.atNanos() - lastResize < spec.cooldown().toNanos()) {
            return null;
        }
        int growth = sample.queued() - oldest.queued();
        double busy = Math.min(1, Math.max(0, (sample.busyNanos() - oldest.busyNanos()) / ((double) span * size)));
        if (size < spec.upper() && growth >= 0 && sample.queued() >= size) {
            String why = growth > 0
                    ? "queue grew by " + growth + " to " + sample.queued() + " over "
                            + spec.window().toMillis() + " ms"
                    : "queue held at " + sample.queued() + " over "
                            + spec.window().toMillis() + " ms";
            return new Decision(Math.min(spec.upper(), size * 2), why, sample.queued(), growth, busy);
        }
        boolean quiet = samples.stream().allMatch(s -> s.queued() == 0);
        if (size > spec.lower() && quiet && busy < spec.busyBelow()) {
            int target = Math.max(spec.lower(), Math.min(size - 1, (int) Math.ceil(size * busy / spec.busyBelow())));
            String why = "idle: nothing queued over " + spec.window().toMillis() + " ms, busy " + Math.round(busy * 100)
                    + " % (below " + Math.round(spec.busyBelow() * 100) + " %)";
            return new Decision(target, why, 0, growth, busy);
        }
        return null;
    }

    /** The decided resize was made at {@code nanos}: the cool-down starts, the window starts over. */
    void resized(long nanos) {
        lastResize = nanos;
        resizedBefore = true;
        samples.clear();
    }
}
