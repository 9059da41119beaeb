package dev.ensemble.piano.latency;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The measured one-way latency of each peer: a rolling average of the last {@link #window()}
 * samples (the room pings twice a second, so the default window of 8 spans four seconds), plus
 * percentiles over every sample kept for the session's summary.
 *
 * <pre>{@code
 * LatencyTracker tracker = new LatencyTracker(8);
 * tracker.record("bob", Duration.ofMillis(20));
 * tracker.average("bob");                          // Optional[PT0.02S]
 * LatencyCompensation c = tracker.compensation();
 * }</pre>
 *
 * <p><em>Not thread-safe</em>: owned by one player's session actor.
 */
public final class LatencyTracker {
    /** The default number of samples in the rolling average. */
    public static final int DEFAULT_WINDOW = 8;
    /** How many samples per peer the percentiles keep; older ones are dropped. */
    public static final int MAX_KEPT_SAMPLES = 100_000;

    private final int window;
    private final Map<String, Deque<Long>> recent = new HashMap<>();
    private final Map<String, long[]> all = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    /**
     * @param window the number of samples averaged, at least 1
     */
    public LatencyTracker(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("the rolling window must hold at least 1 sample, but was " + window);
        }
        this.window = window;
    }

    /** @return the number of samples averaged */
    public int window() {
        return window;
    }

    /**
     * Adds a sample. A negative sample (a clock glitch) counts as zero.
     *
     * @param peerId the peer
     * @param oneWay the measured one-way latency
     */
    public void record(String peerId, Duration oneWay) {
        Objects.requireNonNull(peerId, "peerId");
        long micros = Math.max(0, oneWay.toNanos() / 1_000);
        Deque<Long> samples = recent.computeIfAbsent(peerId, p -> new ArrayDeque<>());
        samples.addLast(micros);
        if (samples.size() > window) {
            samples.removeFirst();
        }
        int count = counts.getOrDefault(peerId, 0);
        long[] kept = all.computeIfAbsent(peerId, p -> new long[16]);
        if (count < MAX_KEPT_SAMPLES) {
            if (count == kept.length) {
                kept = Arrays.copyOf(kept, kept.length * 2);
                all.put(peerId, kept);
            }
            kept[count] = micros;
            counts.put(peerId, count + 1);
        }
    }

    /**
     * Forgets a peer that left.
     *
     * @param peerId the peer
     */
    public void forget(String peerId) {
        recent.remove(peerId);
    }

    /**
     * @param peerId the peer
     * @return the average of its recent samples, empty before the first
     */
    public Optional<Duration> average(String peerId) {
        Deque<Long> samples = recent.get(peerId);
        if (samples == null || samples.isEmpty()) {
            return Optional.empty();
        }
        long sum = 0;
        for (long sample : samples) {
            sum += sample;
        }
        return Optional.of(Duration.ofNanos(sum * 1_000 / samples.size()));
    }

    /**
     * @param peerId the peer
     * @param percentile 0 to 100
     * @return that percentile of every sample kept for the peer (nearest rank), empty before the first
     */
    public Optional<Duration> percentile(String peerId, double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("a percentile must be 0 to 100, but was " + percentile);
        }
        int count = counts.getOrDefault(peerId, 0);
        if (count == 0) {
            return Optional.empty();
        }
        long[] sorted = Arrays.copyOf(all.get(peerId), count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * count);
        return Optional.of(Duration.ofNanos(sorted[Math.max(0, rank - 1)] * 1_000));
    }

    /**
     * @param peerId the peer
     * @return how many samples were recorded for it
     */
    public int sampleCount(String peerId) {
        return counts.getOrDefault(peerId, 0);
    }

    /** @return the compensation for the current averages of the peers still present */
    public LatencyCompensation compensation() {
        Map<String, Duration> averages = new HashMap<>();
        for (String peer : recent.keySet()) {
            average(peer).ifPresent(avg -> averages.put(peer, avg));
        }
        return LatencyCompensation.of(averages);
    }
}
