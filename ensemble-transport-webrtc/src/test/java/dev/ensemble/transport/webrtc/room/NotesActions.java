package dev.ensemble.transport.webrtc.room;

/** What tests do to a {@link NotesActor}. */
public interface NotesActions {
    void add(String line);
}
