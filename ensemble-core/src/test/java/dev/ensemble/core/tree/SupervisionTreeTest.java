package dev.ensemble.core.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorSystemException;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Down;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.SupervisorStrategy;
import dev.ensemble.core.supervision.WorkerSpec;
import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SupervisionTreeTest {
    private static final ActorToken<MemberActions, List<String>> A = Member.token("a");
    private static final ActorToken<MemberActions, List<String>> B = Member.token("b");
    private static final ActorToken<MemberActions, List<String>> C = Member.token("c");
    private static final ActorToken<MemberActions, List<String>> OUTSIDE = Member.token("outside");

    private static SupervisorSpec threeChildren(String name, RestartStrategy strategy, Journal journal) {
        return SupervisorSpec.of(name, strategy)
                .withIntensity(5, Duration.ofSeconds(10))
                .child(WorkerSpec.of(A, Member.factory(journal, "a")))
                .child(WorkerSpec.of(B, Member.factory(journal, "b")).dependsOn(A))
                .child(WorkerSpec.of(C, Member.factory(journal, "c")));
    }

    /** Crashes /room/b and waits until the journal has grown by {@code entries}. */
    private static List<String> crashB(ActorSystem system, Journal journal, int entries) {
        int before = journal.size();
        system.client("/room/b", B).actions().crash("test crash");
        Await.until("the restart to complete", () -> journal.size() >= before + entries, journal::entries);
        Await.until("b to run again", () -> system.client("/room/b", B).status() == ActorStatus.RUNNING);
        return journal.since(before);
    }

    @Test
    void childrenStartInOrderAndStopInReverseAndHavePaths() {
        Journal journal = new Journal();
        ActorSystem system = ActorSystem.builder("order")
                .add(OUTSIDE, Member.factory(journal, "outside"))
                .supervisor(threeChildren("room", RestartStrategy.ONE_FOR_ONE, journal))
                .start();
        assertEquals(List.of("start outside", "start a", "start b", "start c"), journal.entries());
        assertEquals("/room/b", system.client("/room/b", B).path());
        assertEquals("/outside", system.client(OUTSIDE).path());
        assertEquals("/outside", system.client("/outside", OUTSIDE).path());
        assertTrue(system.actors().stream().anyMatch(info -> info.name().equals("/room/c")), system.actors()::toString);
        assertThrows(IllegalArgumentException.class, () -> system.client("/room/nobody", A));

        system.close();
        assertEquals(List.of("stop c", "stop b", "stop a", "stop outside"), journal.since(4));
    }

    @Test
    void oneForOneRestartsOnlyTheFailedChild() throws Exception {
        Journal journal = new Journal();
        try (ActorSystem system = ActorSystem.builder("one-for-one")
                .supervisor(threeChildren("room", RestartStrategy.ONE_FOR_ONE, journal))
                .start()) {
            assertEquals(List.of("stop b", "start b"), crashB(system, journal, 2));
            system.client("/room/a", A).actions().received().get(5, TimeUnit.SECONDS);
            system.client("/room/c", C).actions().received().get(5, TimeUnit.SECONDS);
            assertEquals(List.of("stop b", "start b"), journal.since(3), "only b may have restarted");
        }
    }

    @Test
    void oneForAllRestartsEveryChildStoppingInReverseAndStartingInOrder() {
        Journal journal = new Journal();
        try (ActorSystem system = ActorSystem.builder("one-for-all")
                .supervisor(threeChildren("room", RestartStrategy.ONE_FOR_ALL, journal))
                .start()) {
            assertEquals(
                    List.of("stop b", "stop c", "stop a", "start a", "start b", "start c"), crashB(system, journal, 6));
        }
    }

    @Test
    void restForOneRestartsTheFailedChildAndThoseStartedAfterIt() throws Exception {
        Journal journal = new Journal();
        try (ActorSystem system = ActorSystem.builder("rest-for-one")
                .supervisor(threeChildren("room", RestartStrategy.REST_FOR_ONE, journal))
                .start()) {
            assertEquals(List.of("stop b", "stop c", "start b", "start c"), crashB(system, journal, 4));
            system.client("/room/a", A).actions().received().get(5, TimeUnit.SECONDS);
            assertEquals(4, journal.since(3).size(), "a must not have restarted: " + journal.entries());
        }
    }

    @Test
    void messagesWaitingDuringARestartAreHandledByTheFreshInstance() throws Exception {
        Journal journal = new Journal();
        try (ActorSystem system = ActorSystem.builder("waiting")
                .supervisor(threeChildren("room", RestartStrategy.ONE_FOR_ALL, journal))
                .start()) {
            ActorClient<MemberActions, List<String>> b = system.client("/room/b", B);
            b.actions().crash("test crash");
            b.actions().receive(new dev.ensemble.core.bus.BusMessage("kept", 1, "/test"));
            assertEquals(List.of("kept=1 from /test"), b.actions().received().get(5, TimeUnit.SECONDS));
            assertEquals(
                    "start c",
                    Await.value(
                            "the restart to end",
                            () -> journal.size() >= 9 ? journal.entries().get(8) : null));
        }
    }

    @Test
    void aSupervisorThatExceedsItsIntensityEscalatesAndTheTopStopsItsSubtreeAlone() throws Exception {
        Journal journal = new Journal();
        ActorToken<MemberActions, List<String>> worker = Member.token("worker");
        ActorToken<MemberActions, List<String>> sibling = Member.token("sibling");
        SupervisorSpec mid = SupervisorSpec.of("mid", RestartStrategy.ONE_FOR_ONE)
                .withLimits(SupervisorStrategy.restart().withLimit(0, Duration.ofSeconds(30)))
                .child(WorkerSpec.of(worker, Member.factory(journal, "worker")));
        SupervisorSpec top = SupervisorSpec.of("top", RestartStrategy.ONE_FOR_ONE)
                .withIntensity(1, Duration.ofSeconds(30))
                .child(WorkerSpec.of(sibling, Member.factory(journal, "sibling")))
                .child(mid);
        try (ActorSystem system = ActorSystem.builder("escalation")
                .add(OUTSIDE, Member.factory(journal, "outside"))
                .supervisor(top)
                .start()) {
            ActorClient<MemberActions, List<String>> workerClient = system.client("/top/mid/worker", worker);
            CompletableFuture<Down> siblingDown = new CompletableFuture<>();
            system.client("/top/sibling", sibling).onDown(siblingDown::complete);

            // mid may not restart at all: it escalates, and top restarts mid (its first restart).
            int before = journal.size();
            workerClient.actions().crash("first");
            Await.until(
                    "top to restart mid", () -> journal.since(before).equals(List.of("stop worker", "start worker")));
            Await.until("the worker to run again", () -> workerClient.status() == ActorStatus.RUNNING);
            assertSame(
                    ActorStatus.RUNNING, system.client("/top/sibling", sibling).status());

            // The second escalation exceeds top's intensity: top is under the root, its subtree stops.
            workerClient.actions().crash("second");
            Down down = siblingDown.get(10, TimeUnit.SECONDS);
            assertEquals("/top/sibling", down.actor());
            Await.until("the worker to stop", () -> workerClient.status() == ActorStatus.STOPPED);
            assertSame(ActorStatus.RUNNING, system.client(OUTSIDE).status(), "the rest of the system keeps running");
            system.client(OUTSIDE).actions().received().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBrokenTreeIsRejectedWithEveryProblemNamed() {
        Journal journal = new Journal();
        SupervisorSpec broken = SupervisorSpec.of("room", RestartStrategy.ONE_FOR_ONE)
                .child(WorkerSpec.of(B, Member.factory(journal, "b")).dependsOn(A))
                .child(WorkerSpec.of(A, Member.factory(journal, "a")))
                .child(WorkerSpec.of(A, Member.factory(journal, "a")));
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> ActorSystem.builder("broken").supervisor(broken).start());
        assertTrue(
                error.getMessage().contains("/room/b depends on \"a\", which is neither an earlier sibling"),
                error.getMessage());
        assertTrue(error.getMessage().contains("/room has two children named \"a\""), error.getMessage());
        assertEquals(List.of(), journal.entries(), "nothing may start");
    }

    @Test
    void aFailedChildCarriesItsCauseToItsWatchersWhenTheSubtreeStops() throws Exception {
        Journal journal = new Journal();
        SupervisorSpec strict = SupervisorSpec.of("strict", RestartStrategy.ONE_FOR_ONE)
                .withLimits(SupervisorStrategy.stop())
                .child(WorkerSpec.of(A, Member.factory(journal, "a")));
        try (ActorSystem system =
                ActorSystem.builder("strict").supervisor(strict).start()) {
            CompletableFuture<Down> down = new CompletableFuture<>();
            ActorClient<MemberActions, List<String>> a = system.client("/strict/a", A);
            a.onDown(down::complete);
            a.actions().crash("fatal");
            Down signal = down.get(10, TimeUnit.SECONDS);
            assertTrue(signal.failed());
            assertInstanceOf(IllegalStateException.class, signal.cause());
        }
    }

    @Test
    void aFactoryThatThrowsOnRestartCountsAsAFailureAndTheSupervisorGivesUpAlone() throws Exception {
        Journal journal = new Journal();
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<Member> firstOnly = () -> {
            if (made.incrementAndGet() > 1) {
                throw new IllegalStateException("factory broken after the first instance");
            }
            return Member.factory(journal, "a").get();
        };
        SupervisorSpec room = SupervisorSpec.of("room", RestartStrategy.ONE_FOR_ONE)
                .withIntensity(3, Duration.ofSeconds(30))
                .child(WorkerSpec.of(A, firstOnly));
        try (ActorSystem system = ActorSystem.builder("factory-throws")
                .add(OUTSIDE, Member.factory(journal, "outside"))
                .supervisor(room)
                .start()) {
            CompletableFuture<Down> down = new CompletableFuture<>();
            system.client("/room/a", A).onDown(down::complete);
            system.client("/room/a", A).actions().crash("first");
            Down signal = down.get(10, TimeUnit.SECONDS);
            assertTrue(signal.failed());
            assertTrue(made.get() >= 4, "every restart within the intensity tried the factory: " + made.get());
            assertSame(ActorStatus.RUNNING, system.client(OUTSIDE).status());
            system.client(OUTSIDE).actions().received().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPoolWhoseWorkersKeepCrashingEscalatesToItsSupervisor() throws Exception {
        Journal journal = new Journal();
        java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger> handled =
                new java.util.concurrent.ConcurrentHashMap<>();
        ActorToken<MemberActions, List<String>> sibling = Member.token("sibling");
        SupervisorSpec svc = SupervisorSpec.of("svc", RestartStrategy.ONE_FOR_ONE)
                .withIntensity(0, Duration.ofSeconds(30))
                .child(WorkerSpec.of(sibling, Member.factory(journal, "sibling")))
                .child(dev.ensemble.core.supervision.PoolSpec.of(
                                Member.token("crashers"), Member.factory(journal, "crasher"), 2)
                        .withLimits(SupervisorStrategy.restart().withLimit(1, Duration.ofSeconds(30))));
        try (ActorSystem system =
                ActorSystem.builder("crashing-pool").supervisor(svc).start()) {
            CompletableFuture<Down> siblingDown = new CompletableFuture<>();
            system.client("/svc/sibling", sibling).onDown(siblingDown::complete);
            ActorClient<MemberActions, List<String>> pool = system.client("/svc/crashers", Member.token("crashers"));
            // The pool restarts one replica, then gives up and escalates; svc may restart nothing: its subtree stops.
            pool.actions().crash("one");
            Await.until(
                    "the first restart",
                    () -> journal.entries().stream()
                                    .filter("start crasher"::equals)
                                    .count()
                            == 3);
            pool.actions().crash("two");
            assertEquals("/svc/sibling", siblingDown.get(10, TimeUnit.SECONDS).actor());
        }
    }
}
