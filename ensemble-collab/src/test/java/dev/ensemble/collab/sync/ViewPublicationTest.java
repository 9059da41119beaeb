package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.testkit.Await;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The published view (what clients' {@code state()} shows) is decoded once a backlog of edits is
 * worked off, not after every batch of it; inside the actor, {@code view()} is always current.
 * (Without the deferral, each of the 300 batches below is published: the test fails.)
 */
class ViewPublicationTest {
    /** The view: one text. */
    public record Notes(String text) {}

    /** Actions of {@link NotesActor}. */
    public interface NotesActions {
        /**
         * Appends one character in its own change, then queues a few messages and the next
         * burst behind the flush that change queued, so every flush finds messages waiting.
         */
        void burst(int remaining);

        void nothing();

        /** Appends {@code text} in one change. */
        void append(String text);

        /** Appends one character and answers with the length {@code view()} shows right after. */
        CompletableFuture<Integer> appendAndRead();
    }

    /** A text appended to one change at a time. */
    public static final class NotesActor extends CollaborationActor<Notes> implements NotesActions {
        private static final DocPath TEXT = DocPath.of("text");
        private int appended;

        public NotesActor() {
            super(CollaborationSettings.builder("notes", Notes.class, new Notes(""))
                    .build());
        }

        @Override
        public void burst(int remaining) {
            change(tx -> tx.spliceText(TEXT, appended, 0, "x"));
            appended++;
            NotesActions self = this.<NotesActions>self().actions();
            for (int i = 0; i < 3; i++) {
                self.nothing();
            }
            if (remaining > 1) {
                self.burst(remaining - 1);
            }
        }

        @Override
        public void nothing() {}

        @Override
        public void append(String text) {
            change(tx -> tx.spliceText(TEXT, appended, 0, text));
            appended += text.length();
        }

        @Override
        public CompletableFuture<Integer> appendAndRead() {
            change(tx -> tx.spliceText(TEXT, appended, 0, "y"));
            appended++;
            return reply(view().text().length());
        }
    }

    @Test
    void anActorStoppedRightAfterAnEditStillPublishesIt() throws Exception {
        try (ActorSystem system =
                ActorSystem.builder("stop").add(NOTES, NotesActor::new).start()) {
            ActorClient<NotesActions, Notes> notes = system.client(NOTES);
            // The stop lands behind the edit and before or beside the flush the edit queues, so
            // that flush is put off behind the stop or dropped with the mailbox.
            notes.actions().append("last words");
            system.stop(NOTES).get(10, TimeUnit.SECONDS);
            assertEquals("last words", notes.state().text());
        }
    }

    static final ActorToken<NotesActions, Notes> NOTES = ActorToken.of("notes", NotesActions.class, Notes.class);

    @Test
    void aBacklogOfEditsIsPublishedOnceItIsWorkedOffNotOncePerBatch() throws Exception {
        try (ActorSystem system =
                ActorSystem.builder("view").add(NOTES, NotesActor::new).start()) {
            ActorClient<NotesActions, Notes> notes = system.client(NOTES);
            AtomicInteger published = new AtomicInteger();
            notes.onState(view -> published.incrementAndGet());
            long started = System.nanoTime();
            int edits = 300;
            notes.actions().burst(edits);
            Await.until(
                    "the published view shows all " + edits + " edits",
                    () -> notes.state().text().length() == edits);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            // Every one of the 300 flushes found messages waiting. Decoding is put off for up to
            // 100 ms of lag, so only a slow machine publishes more than once or twice.
            int allowed = 2 + (int) (elapsedMillis / 100);
            assertTrue(
                    published.get() <= allowed,
                    "published " + published.get() + " times for " + edits + " batches in " + elapsedMillis
                            + " ms; at most " + allowed + " expected");
            assertEquals("x".repeat(edits), notes.state().text());
            assertEquals(
                    edits + 1,
                    notes.actions().appendAndRead().get(10, TimeUnit.SECONDS),
                    "view() inside the actor must show the edit of its own turn");
        }
    }
}
