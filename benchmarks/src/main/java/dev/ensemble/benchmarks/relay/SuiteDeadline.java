package dev.ensemble.benchmarks.relay;

import java.time.Duration;

/**
 * The deadline of a benchmark suite that starts child processes: past it, the suite says so, stops
 * its children (server JVMs, Redis) and halts, so a stuck run never outlives its command.
 */
public final class SuiteDeadline {
    private SuiteDeadline() {}

    /** Starts the daemon thread that ends the suite called {@code suite} after {@code deadline}. */
    public static void start(String suite, Duration deadline) {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(deadline.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.out.println("# " + suite + " suite: deadline of " + deadline.toSeconds()
                            + " s reached; stopping it and its child processes");
                    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                    Runtime.getRuntime().halt(2);
                },
                suite + "-suite-deadline");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
