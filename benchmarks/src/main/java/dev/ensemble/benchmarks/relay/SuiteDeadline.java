package dev.ensemble.benchmarks.relay;

import java.time.Duration;

/**
 * The deadline of a benchmark suite, or of a child process it starts: past it, the process says so,
 * stops its own children (server JVMs, Redis) and halts, so a stuck run never outlives its command.
 */
public final class SuiteDeadline {
    private SuiteDeadline() {}

    /** Starts the daemon thread that ends the suite called {@code suite} after {@code deadline} (exit code 2). */
    public static void start(String suite, Duration deadline) {
        watch(
                suite + "-suite-deadline",
                deadline,
                () -> System.out.println("# " + suite + " suite: deadline of " + deadline.toSeconds()
                        + " s reached; stopping it and its child processes"),
                2);
    }

    /**
     * Starts the daemon thread that ends a suite's child process (a server, a node) after {@code
     * deadline}, saying so on its standard error, which the suite keeps (exit code 3).
     *
     * @param process what the child is, as its message names it: {@code "relay server"}
     */
    public static void startForChild(String process, Duration deadline) {
        watch(
                process.replace(' ', '-') + "-deadline",
                deadline,
                () -> System.err.println(process + ": deadline of " + deadline.toSeconds() + " s reached; exiting"),
                3);
    }

    private static void watch(String threadName, Duration deadline, Runnable announce, int exitCode) {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(deadline.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    announce.run();
                    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                    Runtime.getRuntime().halt(exitCode);
                },
                threadName);
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
