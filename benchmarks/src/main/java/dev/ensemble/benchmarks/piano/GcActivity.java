package dev.ensemble.benchmarks.piano;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Collections of this JVM's garbage collectors over a stretch of time, as their MXBeans count them (with
 * G1 on JDK 17: young and mixed pauses, and full collections; the concurrent cycle's own time is not
 * counted). A round's notes are the whole JVM's work, so a collection in a round belongs to that round's
 * room. Thread-safe: immutable.
 *
 * <pre>{@code
 * GcActivity before = GcActivity.now();
 * playTheNotes();
 * GcActivity during = GcActivity.now().since(before);
 * }</pre>
 *
 * @param collections collections counted
 * @param millis the time they took, as the collectors report it
 */
record GcActivity(long collections, long millis) {
    /** Nothing measured. */
    static final GcActivity NONE = new GcActivity(0, 0);

    /** The counts since this JVM started. */
    static GcActivity now() {
        long collections = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            // -1: the collector does not count; none of the JDK's does that, but leave it out rather than subtract.
            collections += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return new GcActivity(collections, millis);
    }

    /** What happened between {@code earlier} and this. */
    GcActivity since(GcActivity earlier) {
        return new GcActivity(collections - earlier.collections, millis - earlier.millis);
    }

    /** Both stretches together. */
    GcActivity plus(GcActivity other) {
        return new GcActivity(collections + other.collections, millis + other.millis);
    }

    @Override
    public String toString() {
        return collections + " collections, " + millis + " ms";
    }
}
