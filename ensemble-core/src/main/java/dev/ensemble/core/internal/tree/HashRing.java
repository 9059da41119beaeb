package dev.ensemble.core.internal.tree;

import java.util.Arrays;

/**
 * INTERNAL API: a consistent-hash ring over a pool's replicas: each replica owns 64 points of the
 * ring, placed by a hash of its number, and a key belongs to the replica of the first point at or
 * after the key's hash. Equal keys go to the same replica; adding or removing a replica moves only
 * the keys of the points it gains or loses, about {@code 1 / size} of them.
 *
 * <p>Threading: immutable; a pool makes a new ring whenever its replicas change.
 */
final class HashRing {
    private static final int POINTS_PER_REPLICA = 64;

    private final long[] points;
    private final Replica[] owners;

    private HashRing(long[] points, Replica[] owners) {
        this.points = points;
        this.owners = owners;
    }

    static HashRing of(Replica[] replicas) {
        int size = replicas.length * POINTS_PER_REPLICA;
        long[][] entries = new long[size][];
        int n = 0;
        for (int r = 0; r < replicas.length; r++) {
            for (int p = 0; p < POINTS_PER_REPLICA; p++) {
                entries[n++] = new long[] {mix(replicas[r].number() * 0x9E3779B97F4A7C15L + p), r};
            }
        }
        Arrays.sort(entries, (a, b) -> Long.compare(a[0], b[0]));
        long[] points = new long[size];
        Replica[] owners = new Replica[size];
        for (int i = 0; i < size; i++) {
            points[i] = entries[i][0];
            owners[i] = replicas[(int) entries[i][1]];
        }
        return new HashRing(points, owners);
    }

    /** @return the replica that owns {@code key}; null if the ring is empty */
    Replica owner(Object key) {
        if (points.length == 0) {
            return null;
        }
        long hash = mix(key == null ? 0 : key.hashCode());
        int at = Arrays.binarySearch(points, hash);
        int index = at >= 0 ? at : -at - 1;
        return owners[index == points.length ? 0 : index];
    }

    /** A 64-bit finalizer (SplitMix64's), so that nearby numbers land far apart on the ring. */
    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
