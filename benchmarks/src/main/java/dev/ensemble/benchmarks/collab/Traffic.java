package dev.ensemble.benchmarks.collab;

import java.util.Map;
import java.util.TreeMap;

/**
 * Frames and bytes handed to transports, by envelope kind ({@code sync}, {@code snapshot},
 * {@code chunk}, ...). Immutable.
 *
 * <pre>{@code
 * Traffic both = alice.tally().plus(bob.tally());
 * System.out.println(both.bytes() + " bytes in " + both.frames() + " frames: " + both);
 * }</pre>
 *
 * @param byKind counts per envelope kind
 * @param rejected frames the transport refused (not counted in the bytes)
 */
public record Traffic(Map<String, Kind> byKind, long rejected) {
    /**
     * The counts of one envelope kind.
     *
     * @param frames how many frames
     * @param bytes their total length
     */
    public record Kind(long frames, long bytes) {
        Kind plus(Kind other) {
            return new Kind(frames + other.frames, bytes + other.bytes);
        }
    }

    /** Copies the map: a tally does not change after it is taken. */
    public Traffic {
        byKind = Map.copyOf(byKind);
    }

    /** @return every frame's bytes, framing included */
    public long bytes() {
        return byKind.values().stream().mapToLong(Kind::bytes).sum();
    }

    /** @return the number of frames */
    public long frames() {
        return byKind.values().stream().mapToLong(Kind::frames).sum();
    }

    /**
     * @param other another tally
     * @return the sum of both
     */
    public Traffic plus(Traffic other) {
        Map<String, Kind> sum = new TreeMap<>(byKind);
        other.byKind.forEach((kind, counts) -> sum.merge(kind, counts, Kind::plus));
        return new Traffic(sum, rejected + other.rejected);
    }

    /** @return e.g. {@code "sync: 3 frames, 412 B; snapshot: 1 frames, 90 B"} */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(byKind)
                .forEach((kind, counts) -> text.append(text.length() == 0 ? "" : "; ")
                        .append(kind)
                        .append(": ")
                        .append(counts.frames())
                        .append(" frames, ")
                        .append(counts.bytes())
                        .append(" B"));
        return text.length() == 0 ? "nothing" : text.toString();
    }
}
