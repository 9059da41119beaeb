package dev.ensemble.piano.latency;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How long to delay each player's notes so that everyone hears everyone aligned, given the
 * one-way latency from this player to each peer (the approach of p2piano).
 *
 * <p>A note from a peer with latency {@code L} reaches us {@code L} after it was played. If every
 * player delays their <em>own</em> notes by the room's largest latency {@code M}, and a peer's
 * notes by {@code M - L}, then every note sounds {@code M} after it was played, everywhere, and
 * two players who play together are heard together. Only peers whose latency lies within
 * [{@value #MIN_COMPENSATED_MS}, {@value #MAX_COMPENSATED_MS}] ms take part: below, the offset is
 * not audible; above, delaying everyone's own notes that much makes the piano feel sluggish, so
 * such peers (and all peers when none qualifies) are played at once.
 *
 * <p>Worked numbers: peers at 20 ms and 50 ms, and one at 90 ms. {@code M} = 50 ms. Own notes
 * wait 50 ms, the 20 ms peer's wait 30 ms, the 50 ms peer's play at once (50 - 50), and the
 * 90 ms peer's play at once (out of range).
 *
 * <pre>{@code
 * LatencyCompensation c = LatencyCompensation.of(Map.of("bob", Duration.ofMillis(20)));
 * c.ownDelay();          // 20 ms
 * c.delayFor("bob");     // 0 ms
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 */
public final class LatencyCompensation {
    /** Peers closer than this are not compensated. */
    public static final long MIN_COMPENSATED_MS = 10;
    /** Peers further than this are not compensated. */
    public static final long MAX_COMPENSATED_MS = 60;
    /** No peers, no delay. */
    public static final LatencyCompensation NONE = new LatencyCompensation(Map.of(), Duration.ZERO);

    private final Map<String, Duration> latencies;
    private final Duration roomMax;

    private LatencyCompensation(Map<String, Duration> latencies, Duration roomMax) {
        this.latencies = latencies;
        this.roomMax = roomMax;
    }

    /**
     * @param oneWayLatencies each peer's current one-way latency (for example a rolling average)
     * @return the compensation for these latencies
     */
    public static LatencyCompensation of(Map<String, Duration> oneWayLatencies) {
        Map<String, Duration> copy = Map.copyOf(oneWayLatencies);
        Duration max = Duration.ZERO;
        for (Duration latency : copy.values()) {
            if (compensated(latency) && latency.compareTo(max) > 0) {
                max = latency;
            }
        }
        return new LatencyCompensation(copy, max);
    }

    /**
     * @param latency a one-way latency
     * @return whether a peer at that latency takes part in the compensation
     */
    public static boolean compensated(Duration latency) {
        long ms = latency.toMillis();
        return ms >= MIN_COMPENSATED_MS && ms <= MAX_COMPENSATED_MS;
    }

    /** @return the largest latency among the compensated peers, zero if none */
    public Duration roomMax() {
        return roomMax;
    }

    /** @return how long to delay this player's own notes (and metronome clicks it leads) */
    public Duration ownDelay() {
        return roomMax;
    }

    /**
     * @param peerId a peer
     * @return how long to delay that peer's notes after they arrive; zero for an unknown peer
     */
    public Duration delayFor(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        Duration latency = latencies.get(peerId);
        if (latency == null || !compensated(latency)) {
            return Duration.ZERO;
        }
        return roomMax.minus(latency);
    }

    @Override
    public String toString() {
        return "LatencyCompensation[roomMax=" + roomMax.toMillis() + " ms, latencies=" + latencies + "]";
    }
}
