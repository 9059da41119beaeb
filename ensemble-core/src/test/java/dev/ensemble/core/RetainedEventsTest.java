package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.testkit.Await;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events kept with {@code emitRetained}: a listener that subscribes after the event still
 * receives it, once, until the actor clears it or restarts.
 */
class RetainedEventsTest {
    private ActorSystem system;
    private ActorClient<DoorActions, Integer> door;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("retained").add(Door.TOKEN, Door::new).start();
        door = system.client(Door.TOKEN);
    }

    @AfterEach
    void stop() {
        system.close();
    }

    private static List<Object> payloads(List<ActorEvent> events) {
        return events.stream().map(ActorEvent::payload).toList();
    }

    @Test
    void aListenerThatSubscribesAfterARetainedEventReceivesItOnce() throws Exception {
        List<ActorEvent> early = new CopyOnWriteArrayList<>();
        door.onEvent("locked", early::add);
        door.actions().lock("by the early one");
        door.actions().touch().get();
        Await.until("the early listener hears it live", () -> early.size() == 1);

        List<ActorEvent> late = new CopyOnWriteArrayList<>();
        List<ActorEvent> lateAll = new CopyOnWriteArrayList<>();
        door.onEvent("locked", late::add);
        door.onEvent(lateAll::add);
        Await.until("the late listeners hear it when they subscribe", () -> late.size() == 1 && lateAll.size() == 1);
        assertEquals(List.of("by the early one"), payloads(late));
        assertEquals("locked", lateAll.get(0).name());

        door.actions().lock("again");
        door.actions().touch().get();
        Await.until("the next one live", () -> late.size() == 2);
        assertEquals(List.of("by the early one"), payloads(early.subList(0, 1)));
        assertEquals(List.of("by the early one", "again"), payloads(late));
        List<ActorEvent> later = new CopyOnWriteArrayList<>();
        door.onEvent("locked", later::add);
        Await.until("only the last one is kept", () -> later.size() == 1);
        assertEquals(List.of("again"), payloads(later));
    }

    @Test
    void aClearedOrRestartedActorRetainsNothing() throws Exception {
        door.actions().lock("first");
        door.actions().unlock();
        door.actions().touch().get();
        List<ActorEvent> afterClear = new CopyOnWriteArrayList<>();
        door.onEvent(afterClear::add);
        door.actions().touch().get();
        door.actions().lock("second");
        Await.until("the live event", () -> afterClear.size() == 1);
        assertEquals(List.of("second"), payloads(afterClear), "the cleared event is not replayed");

        door.actions().crash();
        Await.until("the restart", () -> {
            try {
                return door.actions().touch().get() == 0;
            } catch (Exception e) {
                return false;
            }
        });
        List<ActorEvent> afterRestart = new CopyOnWriteArrayList<>();
        door.onEvent("locked", afterRestart::add);
        door.actions().lock("third");
        Await.until("the live event after the restart", () -> afterRestart.size() == 1);
        assertEquals(List.of("third"), payloads(afterRestart), "the failed instance's event is not replayed");
    }

    interface DoorActions {
        void lock(String by);

        void unlock();

        void crash();

        CompletableFuture<Integer> touch();
    }

    /** Keeps "locked" retained while locked; its state counts turns since it started. */
    static final class Door extends Actor<Integer> implements DoorActions {
        static final ActorToken<DoorActions, Integer> TOKEN = ActorToken.of("door", DoorActions.class, Integer.class);

        Door() {
            super(0);
        }

        @Override
        public void lock(String by) {
            setState(state() + 1);
            emitRetained("locked", by);
        }

        @Override
        public void unlock() {
            setState(state() + 1);
            clearRetained("locked");
        }

        @Override
        public void crash() {
            throw crash(new IllegalStateException("provoked crash"));
        }

        @Override
        public CompletableFuture<Integer> touch() {
            return CompletableFuture.completedFuture(state());
        }
    }
}
