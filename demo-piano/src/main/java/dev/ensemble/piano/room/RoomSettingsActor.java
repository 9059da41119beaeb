package dev.ensemble.piano.room;

import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;
import dev.ensemble.collab.DocumentVersion;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.room.internal.RoomSettingsActions;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The room's settings document: title and metronome, shared with every player through the
 * collaboration module. Notes and pedal never enter it: they are ephemeral messages.
 *
 * <p>Each field is written only when it changes, so a setting that is set again to its value
 * leaves the document's version alone. The leader is a last-writer-wins scalar; the title is
 * collaborative text.
 */
final class RoomSettingsActor extends CollaborationActor<RoomDocument> implements RoomSettingsActions {
    static final int MAX_TITLE_LENGTH = 80;

    RoomSettingsActor(CollaborationSettings<RoomDocument> settings) {
        super(settings);
    }

    static CollaborationSettings.Builder<RoomDocument> settings(String documentId) {
        return CollaborationSettings.builder(documentId, RoomDocument.class, RoomDocument.INITIAL);
    }

    @Override
    public CompletableFuture<RoomSettings> apply(UnaryOperator<RoomSettings> change) {
        RoomSettings current = view().settings();
        RoomSettings next = Objects.requireNonNull(
                change.apply(current), "a settings change must return the new settings, not null");
        if (!next.equals(current)) {
            change(tx -> {
                if (next.metronomeOn() != current.metronomeOn()) {
                    tx.put(DocPath.of("metronomeOn"), next.metronomeOn());
                }
                if (next.tempoBpm() != current.tempoBpm()) {
                    tx.put(DocPath.of("tempoBpm"), next.tempoBpm());
                }
                if (next.beatsPerBar() != current.beatsPerBar()) {
                    tx.put(DocPath.of("beatsPerBar"), next.beatsPerBar());
                }
                if (!Objects.equals(next.metronomeLeader(), current.metronomeLeader())) {
                    tx.putScalar(
                            DocPath.of("metronomeLeader"),
                            next.metronomeLeader() == null ? "" : next.metronomeLeader());
                }
            });
        }
        return reply(next);
    }

    @Override
    public CompletableFuture<String> retitle(String title) {
        Objects.requireNonNull(title, "title");
        if (title.length() > MAX_TITLE_LENGTH) {
            throw new IllegalArgumentException("a room title must be at most " + MAX_TITLE_LENGTH
                    + " characters, but was " + title.length() + " (\"" + title.substring(0, 20) + "...\")");
        }
        RoomDocument now = view();
        update(new RoomDocument(title, now.metronomeOn(), now.tempoBpm(), now.beatsPerBar(), now.metronomeLeader()));
        return reply(title);
    }

    @Override
    public CompletableFuture<DocumentVersion> currentVersion() {
        return reply(version());
    }
}
