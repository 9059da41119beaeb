package dev.ensemble.remote.inspect;

/**
 * The bounds of a node's inspection service. Immutable; {@code withX} returns a copy.
 *
 * <table>
 *   <caption>Limits and what happens at them</caption>
 *   <tr><th>limit</th><th>default</th><th>at the limit</th></tr>
 *   <tr><td>{@link #maxSessionsPerNode()}</td><td>4</td><td>a further attach from that node fails
 *       with {@link RemoteInspectionException.Reason#BUSY}</td></tr>
 *   <tr><td>{@link #maxSessions()}</td><td>32</td><td>a further attach from any node fails with
 *       {@code BUSY}</td></tr>
 *   <tr><td>{@link #maxBufferedBytes()}</td><td>4 MiB</td><td>lines the shell has not taken yet:
 *       beyond it (or beyond {@link #maxBufferedLines()}) a stream's event is dropped (the shell
 *       reads too slowly, as the protocol allows); a reply or error is kept up to twice the bound,
 *       past which the session is closed, since a shell that sends requests and never reads would
 *       otherwise hold the node's memory</td></tr>
 *   <tr><td>{@link #maxBufferedLines()}</td><td>10,000</td><td>as above</td></tr>
 *   <tr><td>{@link #maxBatchBytes()}</td><td>256 KiB</td><td>the lines one poll carries (at least
 *       one line, so a 1 MiB line travels alone, in chunks)</td></tr>
 * </table>
 *
 * <p>A request line longer than {@link RemoteInspection#MAX_LINE_BYTES} (1 MiB, the protocol's
 * bound) is answered with a {@code too-large} error and never reaches the inspector. Lines travel
 * in the replies of ensemble-remote asks, so the nodes' {@code maxValueSize} (16 MiB by default)
 * must be above {@code maxBatchBytes} plus one line: keep it at least 2 MiB.
 *
 * @param maxSessionsPerNode sessions one node may have open here at once
 * @param maxSessions sessions all nodes together may have open here at once
 * @param maxBufferedBytes bytes of lines (as UTF-16 chars, a close enough bound) waiting per session
 * @param maxBufferedLines lines waiting per session
 * @param maxBatchBytes bytes of lines one poll takes
 */
public record InspectionLimits(
        int maxSessionsPerNode, int maxSessions, int maxBufferedBytes, int maxBufferedLines, int maxBatchBytes) {
    /** Default sessions per node. */
    public static final int DEFAULT_MAX_SESSIONS_PER_NODE = 4;
    /** Default sessions in all. */
    public static final int DEFAULT_MAX_SESSIONS = 32;
    /** Default bytes waiting per session: 4 MiB. */
    public static final int DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
    /** Default lines waiting per session. */
    public static final int DEFAULT_MAX_BUFFERED_LINES = 10_000;
    /** Default bytes per poll: 256 KiB. */
    public static final int DEFAULT_MAX_BATCH_BYTES = 256 * 1024;

    /** Checks each bound is positive. */
    public InspectionLimits {
        positive(maxSessionsPerNode, "maxSessionsPerNode");
        positive(maxSessions, "maxSessions");
        positive(maxBufferedBytes, "maxBufferedBytes");
        positive(maxBufferedLines, "maxBufferedLines");
        positive(maxBatchBytes, "maxBatchBytes");
    }

    /** @return the defaults */
    public static InspectionLimits defaults() {
        return new InspectionLimits(
                DEFAULT_MAX_SESSIONS_PER_NODE,
                DEFAULT_MAX_SESSIONS,
                DEFAULT_MAX_BUFFERED_BYTES,
                DEFAULT_MAX_BUFFERED_LINES,
                DEFAULT_MAX_BATCH_BYTES);
    }

    /**
     * @param sessions at least 1
     * @return a copy with that many sessions per node
     */
    public InspectionLimits withMaxSessionsPerNode(int sessions) {
        return new InspectionLimits(sessions, maxSessions, maxBufferedBytes, maxBufferedLines, maxBatchBytes);
    }

    /**
     * @param sessions at least 1
     * @return a copy with that many sessions in all
     */
    public InspectionLimits withMaxSessions(int sessions) {
        return new InspectionLimits(maxSessionsPerNode, sessions, maxBufferedBytes, maxBufferedLines, maxBatchBytes);
    }

    /**
     * @param bytes at least 1
     * @param lines at least 1
     * @return a copy with those bounds on the lines waiting per session
     */
    public InspectionLimits withMaxBuffered(int bytes, int lines) {
        return new InspectionLimits(maxSessionsPerNode, maxSessions, bytes, lines, maxBatchBytes);
    }

    /**
     * @param bytes at least 1
     * @return a copy with that many bytes per poll
     */
    public InspectionLimits withMaxBatchBytes(int bytes) {
        return new InspectionLimits(maxSessionsPerNode, maxSessions, maxBufferedBytes, maxBufferedLines, bytes);
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
    }
}
