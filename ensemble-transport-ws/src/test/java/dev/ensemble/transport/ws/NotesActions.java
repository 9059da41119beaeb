package dev.ensemble.transport.ws;

/** What tests do to a {@link NotesActor}. */
public interface NotesActions {
    void add(String line);
}
