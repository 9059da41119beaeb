package dev.ensemble.core.internal.inspect;

/**
 * INTERNAL API: a {@link Recorder} of an outer inspector (a trace, the history) registered with the
 * recorders of a system mounted into it: it records under the mounted system's own paths and hands
 * its owner the events with the mount's prefix put before the receiver and the sender, so the
 * owner sees the paths its shell uses. Called on the mounted system's actors' threads.
 *
 * @param prefix the inner path whose actors it records
 * @param mount the outer path of the mount point
 * @param owner the outer recorder
 */
record MountedRecorder(String prefix, String mount, Recorder owner) implements Recorder {
    @Override
    public void record(TraceEvent event) {
        owner.record(event.mountedAt(mount));
    }
}
