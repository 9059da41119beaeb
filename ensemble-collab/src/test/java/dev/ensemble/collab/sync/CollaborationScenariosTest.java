package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.CollaborationEvents;
import dev.ensemble.collab.DocumentVersion;
import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.collab.storage.FileDocumentStorage;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeCodec;
import dev.ensemble.collab.wire.EnvelopeKind;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollaborationScenariosTest {
    private static NetworkSimulator network(long seed) {
        return NetworkSimulator.builder()
                .seed(seed)
                .conditions(
                        LinkConditions.builder().latency(Duration.ofMillis(5)).build())
                .build();
    }

    @Test
    void thousandsOfOfflineEditsOnTwoPeersMergeWithNothingLost() {
        NetworkSimulator network = network(7);
        try (SimRoom room = new SimRoom(network, 2, List.of("board"), UnaryOperator.identity())) {
            network.goOffline(TestPeers.id("peer-1"));
            network.runUntilQuiet(1000);
            for (int batch = 0; batch < 15; batch++) {
                room.peers.get(0).board().actions().appendMany("a" + batch + "-", 100);
                room.peers.get(1).board().actions().appendMany("b" + batch + "-", 100);
            }
            room.peers.get(0).board().actions().typeNote(0, "from a");
            room.peers.get(1).board().actions().typeNote(0, "from b");
            network.goOnline(TestPeers.id("peer-1"));
            room.settle(20);
            room.assertConverged("offline merge");
            Board board = room.peers.get(0).board().state();
            assertEquals(3000, board.items().size());
            Set<String> expected = new HashSet<>();
            for (int batch = 0; batch < 15; batch++) {
                for (int i = 0; i < 100; i++) {
                    expected.add("a" + batch + "-" + i);
                    expected.add("b" + batch + "-" + i);
                }
            }
            assertEquals(expected, new HashSet<>(board.items()));
            assertTrue(board.notes().contains("from a") && board.notes().contains("from b"), board.notes());
        }
    }

    @Test
    void peersThatStartApartNeverDuplicateTheInitialState() {
        NetworkSimulator network = network(11);
        try (SimRoom room = new SimRoom(network, 2, List.of("board"), UnaryOperator.identity())) {
            network.goOffline(TestPeers.id("peer-0"));
            network.runUntilQuiet(1000);
            room.peers.get(0).board().actions().insertItem(0, "first");
            room.peers.get(1).board().actions().insertItem(0, "second");
            room.peers.get(0).board().actions().bump(2);
            room.peers.get(1).board().actions().bump(3);
            network.goOnline(TestPeers.id("peer-0"));
            room.settle(10);
            room.assertConverged("initial state");
            Board board = room.peers.get(0).board().state();
            assertEquals(Set.of("first", "second"), Set.copyOf(board.items()));
            assertEquals(2, board.items().size());
            assertEquals(5, board.plays());
        }
    }

    @Test
    void twoDocumentsOverOneConnectionStayIndependent() {
        NetworkSimulator network = network(3);
        try (SimRoom room = new SimRoom(network, 2, List.of("alpha", "beta"), UnaryOperator.identity())) {
            network.runUntilQuiet(1000);
            room.peers.get(0).boards.get(0).actions().insertItem(0, "only in alpha");
            room.peers.get(1).boards.get(1).actions().insertItem(0, "only in beta");
            room.peers.get(1).boards.get(1).actions().retitle("beta's title");
            room.settle(10);
            room.assertConverged("two documents");
            for (SimRoom.Peer peer : room.peers) {
                assertEquals(
                        List.of("only in alpha"), peer.boards.get(0).state().items());
                assertEquals("", peer.boards.get(0).state().title());
                assertEquals(List.of("only in beta"), peer.boards.get(1).state().items());
                assertEquals("beta's title", peer.boards.get(1).state().title());
            }
        }
    }

    @Test
    void aPeerWithNothingReceivesASnapshotFirst() {
        NetworkSimulator network = network(5);
        try (SimRoom room = new SimRoom(network, 2, List.of("board"), UnaryOperator.identity())) {
            network.goOffline(TestPeers.id("peer-1"));
            network.runUntilQuiet(1000);
            for (int i = 0; i < 300; i++) {
                room.peers.get(0).board().actions().typeNote(i, "x");
            }
            List<EnvelopeKind> arrivedAtNewcomer = new CopyOnWriteArrayList<>();
            ActorClient<PeerMessaging, Roster> newcomerPeers =
                    room.peers.get(1).system.client(SimRoom.PEERS);
            newcomerPeers
                    .withCallbackExecutor(Runnable::run)
                    .onEvent(
                            PeerEvents.document("board"),
                            event -> arrivedAtNewcomer.add(((PeerEvents.Received) event.payload())
                                    .envelope()
                                    .kind()));
            network.goOnline(TestPeers.id("peer-1"));
            room.settle(10);
            room.assertConverged("cold join");
            assertEquals(300, room.peers.get(1).board().state().notes().length());
            assertTrue(arrivedAtNewcomer.contains(EnvelopeKind.SNAPSHOT), "kinds seen: " + arrivedAtNewcomer);
        }
    }

    @Test
    void steadyTypingCostsOneMessagePerKeystrokeAndOneResyncConfirmsItAll() {
        NetworkSimulator network = network(11);
        try (SimRoom room = new SimRoom(network, 2, List.of("board"), UnaryOperator.identity())) {
            room.settle(10);
            BoardActions typist = room.peers.get(0).board().actions();
            BoardActions reader = room.peers.get(1).board().actions();
            typist.retitle("warm-up");
            room.settle(10);
            long before = network.stats().sent();
            for (int i = 0; i < 30; i++) {
                typist.typeNote(i, "x");
                network.runUntilQuiet(1000);
            }
            assertEquals(30, network.stats().sent() - before, "one pushed change per keystroke, no reply");
            assertEquals("x".repeat(30), room.peers.get(1).board().state().notes());
            assertFalse(
                    typist.peersInSync().join().get(TestPeers.id("peer-1")).inSync(),
                    "pushes are not acknowledged yet");

            reader.resyncNow();
            network.runUntilQuiet(1000);
            assertEquals(31, network.stats().sent() - before, "one ack for all thirty");
            assertTrue(typist.peersInSync().join().get(TestPeers.id("peer-1")).inSync(), "the ack makes them shared");
        }
    }

    @Test
    void aLostPushIsRepairedByTheNextPushOrTheResync() {
        NetworkSimulator network = network(12);
        try (SimRoom room = new SimRoom(network, 2, List.of("board"), UnaryOperator.identity())) {
            typistWarmUp(room);
            BoardActions typist = room.peers.get(0).board().actions();
            network.partition(java.util.Set.of(TestPeers.id("peer-0")), java.util.Set.of(TestPeers.id("peer-1")));
            typist.typeNote(0, "lost ");
            network.runUntilQuiet(1000);
            network.heal();
            typist.typeNote(5, "then found");
            room.settle(10);
            assertEquals("lost then found", room.peers.get(1).board().state().notes());

            network.partition(java.util.Set.of(TestPeers.id("peer-0")), java.util.Set.of(TestPeers.id("peer-1")));
            typist.typeNote(15, "!");
            network.runUntilQuiet(1000);
            network.heal();
            room.settle(10);
            assertEquals(
                    "lost then found!",
                    room.peers.get(1).board().state().notes(),
                    "the last push, lost with nothing after it, comes with the resync");
        }
    }

    private static void typistWarmUp(SimRoom room) {
        room.settle(10);
        room.peers.get(0).board().actions().retitle("warm-up");
        room.settle(10);
    }

    @Test
    void historyIsReadableAndSyncStatusIsReported() {
        NetworkSimulator network = network(9);
        try (SimRoom room = new SimRoom(network, 2, List.of("board"), UnaryOperator.identity())) {
            network.runUntilQuiet(1000);
            BoardActions board = room.peers.get(0).board().actions();
            board.retitle("first");
            DocumentVersion first = board.currentVersion().join();
            board.retitle("second");
            board.insertItem(0, "later");
            assertEquals("first", board.boardAt(first).join().title());
            assertEquals(List.of(), board.boardAt(first).join().items());
            network.partition(java.util.Set.of(TestPeers.id("peer-0")), java.util.Set.of(TestPeers.id("peer-1")));
            board.insertItem(1, "not yet seen by peer-1");
            network.runUntilQuiet(1000);
            dev.ensemble.collab.PeerSyncStatus behind =
                    board.peersInSync().join().get(TestPeers.id("peer-1"));
            assertFalse(behind.inSync());
            assertTrue(behind.unacknowledgedBytes() > 0, behind.toString());
            Board acknowledged = board.boardAt(behind.acknowledged()).join();
            assertFalse(acknowledged.items().contains("not yet seen by peer-1"), acknowledged.toString());
            network.heal();
            room.settle(10);
            dev.ensemble.collab.PeerSyncStatus caughtUp =
                    board.peersInSync().join().get(TestPeers.id("peer-1"));
            assertTrue(caughtUp.inSync(), caughtUp.toString());
            assertEquals(0, caughtUp.unacknowledgedBytes());
            assertEquals(board.currentVersion().join(), caughtUp.acknowledged());
        }
    }

    @Test
    void aFailedTransactionLeavesTheDocumentUntouched() {
        NetworkSimulator network = network(13);
        try (SimRoom room = new SimRoom(network, 1, List.of("board"), UnaryOperator.identity())) {
            ActorClient<BoardActions, Board> board = room.peers.get(0).board();
            List<ActorEvent> failures = new CopyOnWriteArrayList<>();
            board.withCallbackExecutor(Runnable::run).onEvent(ActorEvent.ACTION_FAILED, failures::add);
            board.actions().retitle("kept");
            board.actions().badEdit();
            assertEquals("kept", board.actions().tree().join().get("title").textValue());
            assertEquals(1, failures.size());
            assertEquals(
                    "cannot delete $.no-such-key: no such key",
                    ((dev.ensemble.core.ActionFailed) failures.get(0).payload())
                            .cause()
                            .getMessage());
        }
    }

    @Test
    void badInputFromAPeerIsDroppedWithAnErrorAndEverythingElseCarriesOn() {
        NetworkSimulator network = network(17);
        try (SimRoom room = new SimRoom(network, 2, List.of("board", "other"), UnaryOperator.identity())) {
            network.runUntilQuiet(1000);
            SimRoom.Peer victim = room.peers.get(1);
            List<PeerEvents.PeerError> peerErrors = new CopyOnWriteArrayList<>();
            victim.system
                    .client(SimRoom.PEERS)
                    .withCallbackExecutor(Runnable::run)
                    .onEvent(PeerEvents.ERROR, event -> peerErrors.add((PeerEvents.PeerError) event.payload()));
            List<CollaborationEvents.SyncError> syncErrors = new CopyOnWriteArrayList<>();
            victim.board()
                    .withCallbackExecutor(Runnable::run)
                    .onEvent(
                            CollaborationEvents.SYNC_ERROR,
                            event -> syncErrors.add((CollaborationEvents.SyncError) event.payload()));
            room.peers.get(0).board().actions().retitle("before the attack");
            room.settle(10);
            var before = victim.board().actions().tree().join();
            Transport mallory = network.transportFor(TestPeers.id("mallory"));
            mallory.start(TransportListener.NONE);
            network.runUntilQuiet(1000);

            mallory.send(victim.id, new byte[] {0x7f, 0x01, 0x02});
            mallory.send(victim.id, EnvelopeCodec.encode(Envelope.sync("board", new byte[] {1, 2, 3, 4, 5})));
            mallory.send(victim.id, EnvelopeCodec.encode(Envelope.snapshot("board", new byte[] {9, 9, 9})));
            byte[] truncated = EnvelopeCodec.encode(Envelope.sync("board", new byte[100]));
            mallory.send(victim.id, java.util.Arrays.copyOf(truncated, 20));
            network.runUntilQuiet(1000);

            assertEquals(before, victim.board().actions().tree().join(), "the document must be untouched");
            assertEquals(2, peerErrors.size(), "errors: " + peerErrors);
            for (PeerEvents.PeerError error : peerErrors) {
                assertEquals(TestPeers.id("mallory"), error.peer());
                assertTrue(error.message().contains("malformed frame"), error.message());
            }
            assertEquals(2, syncErrors.size(), "errors: " + syncErrors);
            for (CollaborationEvents.SyncError error : syncErrors) {
                assertEquals(TestPeers.id("mallory").toString(), error.peer());
                assertEquals("board", error.documentId());
            }
            room.peers.get(0).board().actions().retitle("after the attack");
            room.peers.get(0).boards.get(1).actions().insertItem(0, "other still works");
            room.settle(10);
            assertEquals("after the attack", victim.board().state().title());
            assertEquals(
                    List.of("other still works"), victim.boards.get(1).state().items());
        }
    }

    @Test
    void aDocumentWithStorageReloadsExactlyOnRestart(@TempDir Path directory) throws Exception {
        ActorToken<BoardActions, Board> token = ActorToken.of("stored", BoardActions.class, Board.class);
        Board saved;
        try (FileDocumentStorage storage = FileDocumentStorage.open(directory)) {
            try (ActorSystem system = ActorSystem.builder("first")
                    .add(
                            token,
                            () -> new BoardActor(BoardActor.settings("stored")
                                    .storage(storage)
                                    .build()))
                    .start()) {
                ActorClient<BoardActions, Board> board = system.client(token);
                board.actions().retitle("persisted");
                for (int i = 0; i < 50; i++) {
                    board.actions().insertItem(i, "item " + i);
                }
                board.actions().bump(7);
                board.actions().typeNote(0, "notes survive");
                saved = board.actions()
                        .boardAt(board.actions().currentVersion().join())
                        .join();
            }
        }
        try (FileDocumentStorage storage = FileDocumentStorage.open(directory);
                ActorSystem system = ActorSystem.builder("second")
                        .add(
                                token,
                                () -> new BoardActor(BoardActor.settings("stored")
                                        .storage(storage)
                                        .build()))
                        .start()) {
            ActorClient<BoardActions, Board> board = system.client(token);
            assertEquals(saved, board.state());
            assertEquals(50, board.state().items().size());
            assertFalse(board.state().title().isEmpty());
        }
    }
}
