package dev.ensemble.signaling.server;

import java.util.concurrent.locks.LockSupport;

/**
 * Measures how late the machine wakes a thread that asked to sleep for 1 ms: the stalls that other
 * processes on shared cores and GC pauses cause to everything in this JVM, server or not.
 */
final class JitterProbe {

    private static final long PERIOD_NANOS = 1_000_000;

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long maxOvershootNanos;

    private JitterProbe() {
        thread = new Thread(this::run, "jitter-probe");
        thread.setDaemon(true);
    }

    static JitterProbe start() {
        JitterProbe probe = new JitterProbe();
        probe.thread.start();
        return probe;
    }

    private void run() {
        while (running) {
            long before = System.nanoTime();
            LockSupport.parkNanos(PERIOD_NANOS);
            long overshoot = System.nanoTime() - before - PERIOD_NANOS;
            if (overshoot > maxOvershootNanos) {
                maxOvershootNanos = overshoot;
            }
        }
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    long maxOvershootNanos() {
        return maxOvershootNanos;
    }
}
