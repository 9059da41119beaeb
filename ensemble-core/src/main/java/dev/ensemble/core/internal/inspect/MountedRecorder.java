package dev.ensemble.core.internal.inspect;

/**
 * INTERNAL API: a {@link Recorder} of an outer inspector (a trace, the history) registered with the
 * recorders of a system mounted into it: it records under the mounted system's own paths and hands
 * its owner the events with the mount's prefix put before the receiver, and before the sender when
 * the sender is an actor of the mounted system (a sender in another system, such as the outer one,
 * keeps its path), so the owner sees the paths its shell uses. Called on the mounted system's
 * actors' threads.
 *
 * @param prefix the inner path whose actors it records
 * @param mount the outer path of the mount point
 * @param owner the outer recorder
 * @param system the mounted system's inspector, which knows its actors' paths
 */
record MountedRecorder(String prefix, String mount, Recorder owner, InspectorEngine system) implements Recorder {
    @Override
    public void record(TraceEvent event) {
        String sender = event.sender();
        owner.record(event.mountedAt(mount, sender != null && system.hasActorAt(sender)));
    }
}
