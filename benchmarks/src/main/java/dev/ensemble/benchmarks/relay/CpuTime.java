package dev.ensemble.benchmarks.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time (user + system) a process has used since this object was made, read from Linux's
 * {@code /proc/<pid>/stat}; tells which JVM a saturated benchmark was bound by. Reads 0 where there is
 * no {@code /proc}. Immutable.
 */
final class CpuTime {

    /** The kernel's USER_HZ on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final long pid;
    private final long startTicks;

    private CpuTime(long pid) {
        this.pid = pid;
        this.startTicks = ticks(pid);
    }

    static CpuTime of(long pid) {
        return new CpuTime(pid);
    }

    double secondsSince() {
        return (ticks(pid) - startTicks) / TICKS_PER_SECOND;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: state is
            // field 3, utime field 14, stime field 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
