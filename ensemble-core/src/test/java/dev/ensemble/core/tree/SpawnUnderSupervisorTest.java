package dev.ensemble.core.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorStoppedException;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.bus.BusMessage;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.WorkerSpec;
import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpawnUnderSupervisorTest {
    private static final ActorToken<MemberActions, List<String>> A = Member.token("a");
    private static final ActorToken<MemberActions, List<String>> B = Member.token("b");
    private static final ActorToken<MemberActions, List<String>> D = Member.token("d");
    private static final ActorToken<MemberActions, List<String>> ROOT = Member.token("root");

    private static ActorSystem room(Journal journal) {
        return ActorSystem.builder("spawn-under")
                .add(ROOT, Member.factory(journal, "root"))
                .supervisor(SupervisorSpec.of("room", RestartStrategy.ONE_FOR_ALL)
                        .withIntensity(5, Duration.ofSeconds(10))
                        .child(WorkerSpec.of(A, Member.factory(journal, "a")))
                        .child(WorkerSpec.of(B, Member.factory(journal, "b")).handling("note")))
                .start();
    }

    private static Throwable failureOf(CompletableFuture<String> spawned) throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> spawned.get(10, TimeUnit.SECONDS));
        return failed.getCause();
    }

    @Test
    void aWorkerSpawnedIntoARunningSupervisorTakesItsMessagesAndRestartsAndStopsWithItsSiblings() throws Exception {
        Journal journal = new Journal();
        ActorSystem system = room(journal);
        String path = system.spawn(
                        "/room",
                        WorkerSpec.of(D, Member.factory(journal, "d"))
                                .dependsOn(A, ROOT)
                                .handling("note"))
                .get(10, TimeUnit.SECONDS);
        assertEquals("/room/d", path);
        assertEquals(List.of("start root", "start a", "start b", "start d"), journal.entries());

        // Fan-out in child order: b, then the new last child.
        system.client("/room/a", A).actions().publishMessage("note", 60);
        Await.until(
                "d to receive the note",
                () -> !system.client("/room/d", D).actions().received().join().isEmpty());
        assertEquals(
                List.of("note=60 from /room/a"),
                system.client("/room/d", D).actions().received().join());
        assertEquals(
                List.of("note=60 from /room/a"),
                system.client("/room/b", B).actions().received().join());

        // One for all: the failed child's instance ends at once, then the others in reverse (the new
        // child first), and all start again in order (the new child last).
        int before = journal.size();
        system.client("/room/a", A).actions().crash("test crash");
        Await.until("the restart to complete", () -> journal.size() >= before + 6, journal::entries);
        assertEquals(List.of("stop a", "stop d", "stop b", "start a", "start b", "start d"), journal.since(before));
        Await.until("d to run again", () -> system.client("/room/d", D).status() == ActorStatus.RUNNING);

        int running = journal.size();
        system.close();
        assertEquals(List.of("stop d", "stop b", "stop a", "stop root"), journal.since(running));
    }

    @Test
    void whatCannotBeSpawnedIsRefusedWithWhyAndTheSupervisorKeepsRunning() throws Exception {
        Journal journal = new Journal();
        try (ActorSystem system = room(journal)) {
            IllegalArgumentException noSupervisor = assertThrows(
                    IllegalArgumentException.class,
                    () -> system.spawn("/hall", WorkerSpec.of(D, Member.factory(journal, "d"))));
            assertTrue(noSupervisor.getMessage().startsWith("no supervisor at path /hall"), noSupervisor.getMessage());

            Throwable taken = failureOf(system.spawn("/room", WorkerSpec.of(A, Member.factory(journal, "a2"))));
            assertInstanceOf(IllegalArgumentException.class, taken);
            assertTrue(
                    taken.getMessage().contains("/room/a: its supervisor already has a child named \"a\""),
                    taken.getMessage());

            Throwable missing = failureOf(system.spawn(
                    "/room", WorkerSpec.of(D, Member.factory(journal, "d")).dependsOn(Member.token("nobody"))));
            assertTrue(missing.getMessage().contains("/room/d depends on \"nobody\""), missing.getMessage());

            Throwable hook = failureOf(system.spawn("/room", WorkerSpec.of(D, FailingStart::new)));
            assertEquals("no start today", hook.getMessage());
            assertTrue(
                    system.actors().stream().noneMatch(actor -> actor.name().equals("/room/d")),
                    system.actors()::toString);

            // The name is free again, and the supervisor still adds children.
            assertEquals(
                    "/room/d",
                    system.spawn("/room", WorkerSpec.of(D, Member.factory(journal, "d")))
                            .get(10, TimeUnit.SECONDS));
            assertEquals(ActorStatus.RUNNING, system.client("/room/d", D).status());
        }
    }

    @Test
    void nothingIsSpawnedIntoAStoppedSystem() {
        Journal journal = new Journal();
        ActorSystem system = room(journal);
        system.close();
        assertThrows(
                ActorStoppedException.class,
                () -> system.spawn("/room", WorkerSpec.of(D, Member.factory(journal, "d"))));
    }

    /** An actor whose start hook throws. */
    static final class FailingStart extends Actor<List<String>> implements MemberActions {
        FailingStart() {
            super(List.of());
        }

        @Override
        protected void onStart() {
            throw new IllegalStateException("no start today");
        }

        @Override
        public void crash(String why) {}

        @Override
        public void publishMessage(String name, Object data) {}

        @Override
        public CompletableFuture<List<String>> received() {
            return reply(state());
        }

        @Override
        public void block(CountDownLatch release) {}

        @Override
        public void receive(BusMessage message) {}
    }
}
