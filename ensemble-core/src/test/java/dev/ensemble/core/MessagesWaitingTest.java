package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MessagesWaitingTest {
    interface BacklogActions {
        void hold(CountDownLatch latch);

        /** Records whether anything waited behind this message. */
        void look();

        CompletableFuture<List<Boolean>> seen();
    }

    static final class Backlog extends Actor<List<Boolean>> implements BacklogActions {
        /** Touched outside a turn: the test expects the call to be refused. */
        volatile Runnable outsideCall;

        Backlog() {
            super(List.of());
        }

        @Override
        public void hold(CountDownLatch latch) {
            outsideCall = this::messagesWaiting;
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void look() {
            List<Boolean> seen = new ArrayList<>(state());
            seen.add(messagesWaiting());
            setState(List.copyOf(seen));
        }

        @Override
        public CompletableFuture<List<Boolean>> seen() {
            return reply(state());
        }
    }

    @SuppressWarnings("unchecked")
    private static final ActorToken<BacklogActions, List<Boolean>> BACKLOG =
            ActorToken.of("backlog", BacklogActions.class, (Class<List<Boolean>>) (Class<?>) List.class);

    @Test
    void tellsWhetherMessagesWaitBehindTheCurrentOne() throws Exception {
        Backlog actor = new Backlog();
        try (ActorSystem system =
                ActorSystem.builder("waiting").add(BACKLOG, () -> actor).start()) {
            BacklogActions actions = system.client(BACKLOG).actions();
            CountDownLatch release = new CountDownLatch(1);
            actions.hold(release);
            actions.look();
            actions.look();
            actions.look();
            CompletableFuture<List<Boolean>> seen = actions.seen();
            release.countDown();
            // The last look() still has seen() behind it; a final look() alone has nothing.
            assertEquals(List.of(true, true, true), seen.get(10, TimeUnit.SECONDS));
            actions.look();
            Await.until("the fourth look", () -> system.client(BACKLOG).state().size() == 4);
            assertEquals(false, system.client(BACKLOG).state().get(3));

            IllegalStateException outside = assertThrows(IllegalStateException.class, () -> actor.outsideCall.run());
            assertTrue(outside.getMessage().contains("messagesWaiting"), outside.getMessage());
        }
    }
}
