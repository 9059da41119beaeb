package dev.ensemble.core.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorSystemException;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.bus.DeadLetter;
import dev.ensemble.core.bus.RoutingTable;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.WorkerSpec;
import dev.ensemble.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MessageBusTest {
    private static final ActorToken<MemberActions, List<String>> BUTTON = Member.token("button");
    private static final ActorToken<MemberActions, List<String>> LOG = Member.token("log");
    private static final ActorToken<MemberActions, List<String>> STATS = Member.token("stats");
    private static final ActorToken<MemberActions, List<String>> READER = Member.token("reader");
    private static final ActorToken<MemberActions, List<String>> AUDIT = Member.token("audit");

    /** /ui: a button, two handlers of "clicked"; file_read forwarded to /file as read; /file/reader. */
    private static ActorSystem uiAndFile(Journal journal) {
        SupervisorSpec file = SupervisorSpec.of("file", RestartStrategy.ONE_FOR_ONE)
                .child(WorkerSpec.of(READER, Member.factory(journal, "reader")).handling("read"));
        SupervisorSpec ui = SupervisorSpec.of("ui", RestartStrategy.ONE_FOR_ONE)
                .child(WorkerSpec.of(BUTTON, Member.factory(journal, "button")))
                .child(WorkerSpec.of(LOG, Member.factory(journal, "log")).handling("clicked"))
                .child(WorkerSpec.of(STATS, Member.factory(journal, "stats")).handling("clicked"))
                .child(SupervisorSpec.of("audit", RestartStrategy.ONE_FOR_ONE)
                        .child(WorkerSpec.of(AUDIT, Member.factory(journal, "audit"))
                                .handling("saved")))
                .withRoutes(RoutingTable.empty()
                        .forward("file_read", "/file", "read")
                        .route("saved", "audit", "log"));
        return ActorSystem.builder("bus").supervisor(ui).supervisor(file).start();
    }

    private static List<String> received(
            ActorSystem system, String path, ActorToken<MemberActions, List<String>> token) {
        return system.client(path, token)
                .actions()
                .received()
                .orTimeout(5, TimeUnit.SECONDS)
                .join();
    }

    @Test
    void aNameHandledBySeveralChildrenReachesEachOfThem() throws Exception {
        try (ActorSystem system = uiAndFile(new Journal())) {
            system.client("/ui/button", BUTTON).actions().publishMessage("clicked", 7);
            Await.until(
                    "log to receive it", () -> !received(system, "/ui/log", LOG).isEmpty());
            assertEquals(List.of("clicked=7 from /ui/button"), received(system, "/ui/log", LOG));
            Await.until(
                    "stats to receive it",
                    () -> !received(system, "/ui/stats", STATS).isEmpty());
            assertEquals(List.of("clicked=7 from /ui/button"), received(system, "/ui/stats", STATS));
            assertEquals(List.of(), received(system, "/ui/button", BUTTON), "the publisher does not handle it");
        }
    }

    @Test
    void aForwardRenamesTheMessageInTheOtherNamespace() throws Exception {
        try (ActorSystem system = uiAndFile(new Journal())) {
            system.client("/ui/button", BUTTON).actions().publishMessage("file_read", "notes.txt");
            Await.until(
                    "the reader to receive it",
                    () -> !received(system, "/file/reader", READER).isEmpty());
            assertEquals(List.of("read=notes.txt from /ui/button"), received(system, "/file/reader", READER));
        }
    }

    @Test
    void anExplicitRouteFansOutToAChildAndIntoANestedNamespace() throws Exception {
        try (ActorSystem system = uiAndFile(new Journal())) {
            system.client("/ui/button", BUTTON).actions().publishMessage("saved", "v1");
            Await.until(
                    "audit to receive it",
                    () -> !received(system, "/ui/audit/audit", AUDIT).isEmpty());
            assertEquals(List.of("saved=v1 from /ui/button"), received(system, "/ui/audit/audit", AUDIT));
            Await.until(
                    "log to receive it", () -> !received(system, "/ui/log", LOG).isEmpty());
        }
    }

    @Test
    void aMessageNobodyHandlesIsADeadLetterNamingItsNamespace() throws Exception {
        try (ActorSystem system = uiAndFile(new Journal())) {
            List<DeadLetter> dead = new CopyOnWriteArrayList<>();
            system.onDeadLetter(dead::add);
            system.client("/ui/button", BUTTON).actions().publishMessage("unheard", 1);
            Await.until("the dead letter", () -> !dead.isEmpty());
            assertEquals("unheard", dead.get(0).message().name());
            assertEquals("/ui", dead.get(0).namespace());
            assertEquals("/ui/button", dead.get(0).message().sender());
            // The system keeps routing.
            system.client("/ui/button", BUTTON).actions().publishMessage("clicked", 2);
            Await.until(
                    "log to receive the next one",
                    () -> !received(system, "/ui/log", LOG).isEmpty());
        }
    }

    @Test
    void oneSendersMessagesKeepTheirOrderAlongAForward() throws Exception {
        int count = 2_000;
        try (ActorSystem system = uiAndFile(new Journal())) {
            ActorClient<MemberActions, List<String>> button = system.client("/ui/button", BUTTON);
            for (int i = 0; i < count; i++) {
                button.actions().publishMessage("file_read", i);
            }
            Await.until(
                    "every message to arrive",
                    () -> received(system, "/file/reader", READER).size() == count);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add("read=" + i + " from /ui/button");
            }
            assertEquals(expected, received(system, "/file/reader", READER));
        }
    }

    @Test
    void aRoutingCycleIsRejectedAtStartNamingIt() {
        Journal journal = new Journal();
        SupervisorSpec a = SupervisorSpec.of("a", RestartStrategy.ONE_FOR_ONE)
                .child(WorkerSpec.of(BUTTON, Member.factory(journal, "button")))
                .withRoutes(RoutingTable.empty().forward("x", "/b", "y"));
        SupervisorSpec b = SupervisorSpec.of("b", RestartStrategy.ONE_FOR_ONE)
                .withRoutes(RoutingTable.empty().forward("y", "/a", "x").forward("z", "/nowhere", "z"));
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> ActorSystem.builder("cycle").supervisor(a).supervisor(b).start());
        assertTrue(error.getMessage().contains("routing cycle: /a \"x\" -> /b \"y\" -> /a \"x\""), error.getMessage());
        assertTrue(error.getMessage().contains("/b forwards \"z\" to namespace /nowhere"), error.getMessage());
        assertEquals(List.of(), journal.entries(), "nothing may start");
    }

    @Test
    void anActorOfTheRootPublishesIntoTheRootNamespaceWhichRoutesNothing() throws Exception {
        ActorToken<MemberActions, List<String>> loner = Member.token("loner");
        try (ActorSystem system = ActorSystem.builder("root-bus")
                .add(loner, Member.factory(new Journal(), "loner"))
                .start()) {
            List<DeadLetter> dead = new CopyOnWriteArrayList<>();
            system.onDeadLetter(dead::add);
            system.client(loner).actions().publishMessage("hello", null);
            Await.until("the dead letter", () -> !dead.isEmpty());
            assertEquals("/", dead.get(0).namespace());
            assertEquals("/loner", dead.get(0).message().sender());
        }
    }
}
