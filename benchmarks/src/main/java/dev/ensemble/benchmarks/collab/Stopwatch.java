package dev.ensemble.benchmarks.collab;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Arrays;

/**
 * Small timing helpers of the collaboration benchmarks. Stateless.
 *
 * <pre>{@code
 * long[] nanos = ...;
 * double ms = Stopwatch.millis(Stopwatch.median(nanos));
 * }</pre>
 */
public final class Stopwatch {
    private Stopwatch() {}

    /**
     * @param samples at least one
     * @return the median (the mean of the middle two for an even count)
     */
    public static double median(long[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("the median of no samples is undefined; measure at least once");
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    /**
     * @param nanos a duration in nanoseconds
     * @return the same in milliseconds
     */
    public static double millis(double nanos) {
        return nanos / 1_000_000.0;
    }

    /**
     * The CPU time of the whole process (every thread, GC and JIT included): on a shared machine
     * it varies far less than wall time, since waiting for a core does not count.
     *
     * @return nanoseconds of CPU used so far, or -1 if this JVM cannot tell
     */
    public static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            return hotspot.getProcessCpuTime();
        }
        return -1;
    }

    /** Asks for a collection between measurements, so garbage of one run is not paid by the next. */
    public static void settleHeap() {
        System.gc();
    }
}
