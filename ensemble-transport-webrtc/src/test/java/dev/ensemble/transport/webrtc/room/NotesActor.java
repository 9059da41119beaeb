package dev.ensemble.transport.webrtc.room;

import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;

/** A tiny collaboration actor: a shared list of lines. */
public class NotesActor extends CollaborationActor<Notes> implements NotesActions {
    public NotesActor(CollaborationSettings<Notes> settings) {
        super(settings);
    }

    @Override
    public void add(String line) {
        DocPath lines = DocPath.of("lines");
        change(tx -> tx.insert(lines, (int) tx.length(lines), line));
    }
}
