package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.DocPath;
import dev.ensemble.collab.DocumentPathException;
import dev.ensemble.collab.DocumentTransaction;
import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.collab.wire.EnvelopeKind;
import dev.ensemble.testkit.transport.TestPeers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A {@link DocPath} is resolved once and remembered per document (with a text's length), so an
 * edit on a known text makes no lookup: these tests replace, delete, shift and roll back what a
 * remembered path names, locally and on another peer, and check that the next edit goes where
 * Automerge resolves the path now. Each fails if that case does not invalidate what was
 * remembered.
 */
class ResolvedPathsTest {
    private static final DocPath NOTES = DocPath.of("notes");
    private static final DocPath TITLE = DocPath.of("title");
    private static final DocPath ITEMS = DocPath.of("items");

    private static SimRoom room(int peers, long seed) {
        SimRoom room = unsettledRoom(peers, seed);
        room.settle(10);
        return room;
    }

    /** Peers that have not met yet. */
    private static SimRoom unsettledRoom(int peers, long seed) {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(seed)
                .conditions(
                        LinkConditions.builder().latency(Duration.ofMillis(5)).build())
                .build();
        return new SimRoom(network, peers, List.of("board"), UnaryOperator.identity());
    }

    private static void edit(SimRoom room, int peer, Consumer<DocumentTransaction> edit) {
        room.peers.get(peer).board().actions().edit(edit).join();
    }

    private static DocumentPathException failedEdit(SimRoom room, int peer, Consumer<DocumentTransaction> edit) {
        CompletionException failed = assertThrows(
                CompletionException.class,
                () -> room.peers.get(peer).board().actions().edit(edit).join());
        return assertInstanceOf(DocumentPathException.class, failed.getCause());
    }

    private static ObjectNode tree(SimRoom room, int peer) {
        return SimRoom.tree(room.peers.get(peer), 0);
    }

    private static String notes(SimRoom room, int peer) {
        return tree(room, peer).get("notes").textValue();
    }

    @Test
    void aTextThatAPeerReplacedReceivesTheNextLocalSplice() {
        try (SimRoom room = room(2, 21)) {
            edit(room, 0, tx -> tx.spliceText(NOTES, 0, 0, "old"));
            room.settle(10);
            edit(room, 1, tx -> tx.put(NOTES, "fresh"));
            room.settle(10);

            edit(room, 0, tx -> tx.spliceText(NOTES, 0, 0, "A:"));
            room.settle(10);

            room.assertConverged("after the splice");
            assertEquals("A:fresh", notes(room, 0));
        }
    }

    @Test
    void aTextReplacedConcurrentlyOnAnotherPeerReceivesTheSpliceAfterTheMerge() {
        try (SimRoom room = room(2, 22)) {
            room.network.goOffline(TestPeers.id("peer-1"));
            room.network.runUntilQuiet(1000);
            edit(room, 0, tx -> tx.spliceText(NOTES, 0, 0, "mine"));
            edit(room, 1, tx -> tx.put(NOTES, "theirs"));
            room.network.goOnline(TestPeers.id("peer-1"));
            room.settle(10);
            room.assertConverged("after the merge");
            // peer-1 wrote the key after the creation it had seen; peer-0 only wrote inside the old text.
            assertEquals("theirs", notes(room, 0));

            edit(room, 0, tx -> tx.spliceText(NOTES, 0, 0, "A:"));
            room.settle(10);

            room.assertConverged("after the splice");
            assertEquals("A:theirs", notes(room, 0));
        }
    }

    @Test
    void whenBothPeersReplaceTheTextTheSpliceGoesToTheOneAutomergePicks() {
        try (SimRoom room = room(2, 23)) {
            room.network.goOffline(TestPeers.id("peer-1"));
            room.network.runUntilQuiet(1000);
            edit(room, 0, tx -> tx.put(NOTES, "zero"));
            edit(room, 0, tx -> tx.spliceText(NOTES, 4, 0, "!"));
            edit(room, 1, tx -> tx.put(NOTES, "one"));
            edit(room, 1, tx -> tx.spliceText(NOTES, 3, 0, "!"));
            room.network.goOnline(TestPeers.id("peer-1"));
            room.settle(10);
            room.assertConverged("after the conflict");
            String winner = notes(room, 0);
            assertTrue(winner.equals("zero!") || winner.equals("one!"), winner);

            for (int peer = 0; peer < 2; peer++) {
                edit(room, peer, tx -> tx.spliceText(NOTES, 0, 0, ">"));
                room.settle(10);
            }

            room.assertConverged("after the splices");
            assertEquals(">>" + winner, notes(room, 0));
        }
    }

    @Test
    void aPeerThatAdoptsASnapshotForgetsWhatItResolvedBefore() {
        try (SimRoom room = unsettledRoom(2, 24)) {
            room.network.goOffline(TestPeers.id("peer-1"));
            room.network.runUntilQuiet(1000);
            // An empty splice resolves the genesis text but writes nothing: peer-1 still holds
            // only the initial state, so it will adopt a snapshot.
            edit(room, 1, tx -> tx.spliceText(NOTES, 0, 0, ""));
            edit(room, 0, tx -> tx.put(NOTES, "replaced"));
            List<EnvelopeKind> arrived = new CopyOnWriteArrayList<>();
            room.peers
                    .get(1)
                    .system
                    .client(SimRoom.PEERS)
                    .withCallbackExecutor(Runnable::run)
                    .onEvent(
                            PeerEvents.document("board"),
                            event -> arrived.add(((PeerEvents.Received) event.payload())
                                    .envelope()
                                    .kind()));
            room.network.goOnline(TestPeers.id("peer-1"));
            room.settle(10);
            assertTrue(arrived.contains(EnvelopeKind.SNAPSHOT), "kinds seen: " + arrived);

            edit(room, 1, tx -> tx.spliceText(NOTES, 0, 0, "B:"));
            room.settle(10);

            room.assertConverged("after the splice");
            assertEquals("B:replaced", notes(room, 0));
        }
    }

    @Test
    void aLocalPutOverTheTextReplacesWhatTheNextSpliceEdits() {
        try (SimRoom room = room(1, 25)) {
            edit(room, 0, tx -> tx.spliceText(NOTES, 0, 0, "abc"));
            edit(room, 0, tx -> tx.put(NOTES, "new"));
            edit(room, 0, tx -> tx.spliceText(NOTES, 0, 0, "X"));
            assertEquals("Xnew", notes(room, 0));

            edit(room, 0, tx -> {
                tx.spliceText(NOTES, 0, 0, "lost");
                tx.put(NOTES, "same change");
                tx.spliceText(NOTES, 0, 0, "Y");
            });
            assertEquals("Ysame change", notes(room, 0));
        }
    }

    @Test
    void deletingOrReplacingAParentReachesTheNewObjectOrFailsAsMissing() {
        try (SimRoom room = room(1, 26)) {
            DocPath body = DocPath.of("doc", "body");
            edit(room, 0, tx -> tx.put(DocPath.of("doc"), Map.of("body", "b")));
            edit(room, 0, tx -> tx.spliceText(body, 1, 0, "!"));
            assertEquals("b!", tree(room, 0).get("doc").get("body").textValue());

            edit(room, 0, tx -> tx.delete(DocPath.of("doc")));
            DocumentPathException missing = failedEdit(room, 0, tx -> tx.spliceText(body, 0, 0, "lost"));
            assertEquals("cannot reach $.doc.body: $.doc is missing", missing.getMessage());

            edit(room, 0, tx -> tx.put(DocPath.of("doc"), Map.of("body", "second")));
            edit(room, 0, tx -> tx.spliceText(body, 0, 0, ">"));
            assertEquals(">second", tree(room, 0).get("doc").get("body").textValue());

            edit(room, 0, tx -> tx.put(DocPath.of("doc"), Map.of("body", "third")));
            edit(room, 0, tx -> tx.spliceText(body, 0, 0, ">"));
            assertEquals(">third", tree(room, 0).get("doc").get("body").textValue());
        }
    }

    @Test
    void insertingOrDeletingInAListShiftsWhatAnIndexNames() {
        try (SimRoom room = room(1, 27)) {
            edit(room, 0, tx -> {
                tx.insert(ITEMS, 0, "first");
                tx.insert(ITEMS, 1, "second");
            });
            edit(room, 0, tx -> tx.spliceText(ITEMS.then(1), 0, 0, "2:"));
            edit(room, 0, tx -> tx.insert(ITEMS, 0, "zero"));
            edit(room, 0, tx -> tx.spliceText(ITEMS.then(1), 0, 0, "1:"));
            assertEquals(
                    List.of("zero", "1:first", "2:second"),
                    room.peers.get(0).board().state().items());

            edit(room, 0, tx -> tx.delete(ITEMS.then(0)));
            edit(room, 0, tx -> tx.spliceText(ITEMS.then(0), 0, 0, "*"));
            assertEquals(
                    List.of("*1:first", "2:second"),
                    room.peers.get(0).board().state().items());

            edit(room, 0, tx -> tx.put(ITEMS.then(1), "replaced"));
            edit(room, 0, tx -> tx.spliceText(ITEMS.then(1), 0, 0, "#"));
            assertEquals(
                    List.of("*1:first", "#replaced"),
                    room.peers.get(0).board().state().items());
        }
    }

    @Test
    void aRolledBackChangeLeavesNothingResolvedInsideIt() {
        try (SimRoom room = room(1, 28)) {
            edit(room, 0, tx -> tx.spliceText(TITLE, 0, 0, "t"));
            failedEdit(room, 0, tx -> {
                tx.put(TITLE, "rolled back");
                tx.spliceText(TITLE, 0, 0, "x");
                tx.delete(DocPath.of("no-such-key"));
            });
            edit(room, 0, tx -> tx.spliceText(TITLE, 0, 0, "T"));
            assertEquals("Tt", room.peers.get(0).board().state().title());

            failedEdit(room, 0, tx -> {
                tx.spliceText(NOTES, 0, 0, "abc");
                tx.delete(DocPath.of("no-such-key"));
            });
            DocumentPathException tooFar = failedEdit(room, 0, tx -> tx.spliceText(NOTES, 0, 2, ""));
            assertEquals("cannot splice $.notes at 0 deleting 2: its length is 0 code points", tooFar.getMessage());
        }
    }

    @Test
    void theRememberedLengthCountsCodePointsAndFollowsEverySplice() {
        try (SimRoom room = room(1, 29)) {
            edit(room, 0, tx -> tx.spliceText(NOTES, 0, 0, "a\uD83D\uDE00b"));
            edit(room, 0, tx -> tx.spliceText(NOTES, 1, 1, ""));
            assertEquals("ab", notes(room, 0));
            DocumentPathException tooFar = failedEdit(room, 0, tx -> tx.spliceText(NOTES, 0, 3, ""));
            assertEquals("cannot splice $.notes at 0 deleting 3: its length is 2 code points", tooFar.getMessage());
            DocumentPathException pastTheEnd = failedEdit(room, 0, tx -> tx.spliceText(NOTES, 3, 0, "z"));
            // (The failed edit forgot the length: Automerge itself rejects this one, its reason appended.)
            assertTrue(
                    pastTheEnd
                            .getMessage()
                            .startsWith("cannot splice $.notes at 3 deleting 0: its length is 2 code" + " points"),
                    pastTheEnd.getMessage());

            edit(room, 0, tx -> {
                tx.spliceText(NOTES, 2, 0, "cd");
                tx.spliceText(NOTES, 0, 4, "e");
            });
            assertEquals("e", notes(room, 0));
        }
    }

    @Test
    void aDeletionOnAnotherPeerShortensTheTextForTheRangeCheck() {
        try (SimRoom room = room(2, 30)) {
            edit(room, 0, tx -> tx.spliceText(NOTES, 0, 0, "abc"));
            edit(room, 0, tx -> tx.spliceText(NOTES, 2, 1, "C"));
            room.settle(10);
            edit(room, 1, tx -> tx.spliceText(NOTES, 2, 1, ""));
            room.settle(10);

            DocumentPathException tooFar = failedEdit(room, 0, tx -> tx.spliceText(NOTES, 2, 1, ""));
            assertEquals("cannot splice $.notes at 2 deleting 1: its length is 2 code points", tooFar.getMessage());
        }
    }

    @Test
    void anUpdateOfTheWholeViewIsSeenByTheNextSplice() {
        try (SimRoom room = room(1, 31)) {
            edit(room, 0, tx -> tx.spliceText(TITLE, 0, 0, "a"));
            edit(room, 0, tx -> tx.spliceText(TITLE, 0, 1, "b"));
            room.peers.get(0).board().actions().retitle("longer");
            edit(room, 0, tx -> tx.spliceText(TITLE, 6, 0, "!"));
            edit(room, 0, tx -> tx.spliceText(TITLE, 0, 7, "done"));
            assertEquals("done", room.peers.get(0).board().state().title());
        }
    }
}
