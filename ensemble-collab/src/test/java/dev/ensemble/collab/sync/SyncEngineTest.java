package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.sync.Phase.AwaitingSnapshot;
import dev.ensemble.collab.sync.Phase.Grace;
import dev.ensemble.collab.sync.Phase.InSync;
import dev.ensemble.collab.sync.Phase.Pushing;
import dev.ensemble.collab.sync.SyncHarness.Node;
import dev.ensemble.collab.sync.SyncHarness.Sent;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeKind;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every transition of a peer session, on two engines joined by an in-memory wire, in virtual
 * time: no actors, no threads, no network. See {@link SyncEngine} for the state diagram.
 */
class SyncEngineTest {
    private final SyncHarness harness = new SyncHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    /** Two nodes that have synced {@code text} and are quiet. */
    private Node[] inSync(String text) {
        Node alice = harness.node("alice");
        Node bob = harness.node("bob");
        alice.type(text);
        harness.connect(alice, bob);
        harness.deliverAll();
        assertEquals(text, bob.text());
        assertInstanceOf(InSync.class, alice.phaseWith(bob));
        assertInstanceOf(InSync.class, bob.phaseWith(alice));
        return new Node[] {alice, bob};
    }

    private static long count(List<Sent> sent, EnvelopeKind kind) {
        return sent.stream().filter(message -> message.kind() == kind).count();
    }

    // ------------------------------------------------------------------ joining

    @Test
    void aNewcomerWithAnEmptyDocumentAsksForASnapshotAndTheHolderWaitsForIt() {
        Node alice = harness.node("alice");
        for (int i = 0; i < 200; i++) {
            alice.type("x");
        }
        Node bob = harness.node("bob");
        harness.connect(alice, bob);

        assertInstanceOf(Grace.class, alice.phaseWith(bob), "the holder lets the newcomer speak first");
        assertInstanceOf(AwaitingSnapshot.class, bob.phaseWith(alice));
        List<Sent> first = harness.inFlight();
        assertEquals(1, first.size(), "only the request: " + first);
        assertEquals(EnvelopeKind.SNAPSHOT, first.get(0).kind());
        assertEquals(0, first.get(0).envelope().payload().length, "an empty snapshot envelope is a request");

        int mark = harness.mark();
        harness.deliverAll();
        harness.time.advance(Duration.ofSeconds(10));
        harness.deliverAll();

        assertEquals("x".repeat(200), bob.text());
        List<Sent> sent = harness.sentSince(mark);
        assertEquals(EnvelopeKind.SNAPSHOT, sent.get(0).kind(), "the answer comes first: " + sent);
        assertEquals(1, count(sent, EnvelopeKind.SNAPSHOT), "no second snapshot, no grace-timer sync: " + sent);
        long syncBytes = sent.stream()
                .filter(message -> message.kind() == EnvelopeKind.SYNC)
                .mapToLong(message -> message.envelope().payload().length)
                .sum();
        assertTrue(syncBytes < 300, "after the snapshot only heads are exchanged, not history: " + sent);
        assertInstanceOf(InSync.class, alice.phaseWith(bob));
        assertInstanceOf(InSync.class, bob.phaseWith(alice));
        assertTrue(alice.statusOf(bob).inSync());
    }

    @Test
    void aSnapshotThatNeverArrivesFallsBackToSyncChangeByChangeAtTheTimeout() {
        Node alice = harness.node("alice");
        alice.type("history");
        Node bob = harness.node("bob");
        harness.connect(alice, bob);
        harness.take(EnvelopeKind.SNAPSHOT);

        harness.time.advance(SyncEngine.INITIAL_SYNC_GRACE);
        assertEquals(EnvelopeKind.SYNC, harness.inFlight().get(0).kind(), "the grace is over: alice starts");
        int mark = harness.mark();
        harness.deliverAll();
        assertEquals(List.of(), harness.sentSince(mark), "a newcomer waiting for a snapshot ignores sync");
        assertInstanceOf(AwaitingSnapshot.class, bob.phaseWith(alice));

        harness.time.advance(SyncHarness.SNAPSHOT_TIMEOUT.minus(SyncEngine.INITIAL_SYNC_GRACE));
        assertSame(Phase.SYNCING, bob.phaseWith(alice));
        assertEquals(EnvelopeKind.SYNC, harness.inFlight().get(0).kind());
        harness.deliverAll();
        assertEquals("history", bob.text());
    }

    @Test
    void aNewcomerThatGetsNoSnapshotAsksAgainAtEveryTick() {
        Node alice = harness.node("alice");
        alice.type("history");
        Node bob = harness.node("bob");
        harness.connect(alice, bob);
        harness.take(EnvelopeKind.SNAPSHOT);

        harness.tick();
        Sent again = harness.take(message -> message.from().equals(bob.id));
        assertEquals(EnvelopeKind.SNAPSHOT, again.kind());
        assertEquals(0, again.envelope().payload().length);
        assertInstanceOf(AwaitingSnapshot.class, bob.phaseWith(alice));
        harness.deliver(again);
        harness.deliverAll();
        assertEquals("history", bob.text());
    }

    @Test
    void aNewcomerThatMakesChangesOfItsOwnStopsWaitingAndSyncs() {
        Node alice = harness.node("alice");
        alice.type("alice ");
        Node bob = harness.node("bob");
        harness.connect(alice, bob);
        harness.take(EnvelopeKind.SNAPSHOT);

        bob.type("bob ");
        assertSame(Phase.SYNCING, bob.phaseWith(alice));
        harness.deliverAll();
        harness.assertConverged("after bob's own change");
    }

    @Test
    void twoPeersWithHistoryStartSyncingWhenTheGraceEnds() {
        Node alice = harness.node("alice");
        Node bob = harness.node("bob");
        alice.type("a");
        bob.type("b");
        harness.connect(alice, bob);
        assertInstanceOf(Grace.class, alice.phaseWith(bob));
        assertInstanceOf(Grace.class, bob.phaseWith(alice));

        harness.time.advance(SyncEngine.INITIAL_SYNC_GRACE.minusMillis(1));
        assertEquals(List.of(), harness.inFlight(), "nobody speaks during the grace");
        harness.time.advance(Duration.ofMillis(1));
        assertEquals(2, count(harness.inFlight(), EnvelopeKind.SYNC), "both start: " + harness.inFlight());
        harness.deliverAll();
        harness.assertConverged("after the grace");
        assertInstanceOf(InSync.class, alice.phaseWith(bob));
    }

    @Test
    void aPeerThatLeavesAndReturnsResumesFromWhatBothShared() {
        Node[] pair = inSync("x".repeat(50));
        Node alice = pair[0];
        Node bob = pair[1];
        for (int i = 0; i < 200; i++) {
            alice.type("y");
        }
        harness.deliverAll();
        harness.tick();
        harness.deliverAll();
        assertTrue(alice.statusOf(bob).inSync(), "bob confirmed the pushes");
        harness.disconnect(alice, bob);
        alice.type("while apart");

        harness.connect(alice, bob);
        assertSame(Phase.SYNCING, bob.phaseWith(alice), "no grace, no snapshot: it was here before");
        List<Sent> opening = harness.inFlight();
        assertEquals(2, count(opening, EnvelopeKind.SYNC), "both resume at once: " + opening);
        for (Sent message : opening) {
            assertTrue(
                    message.envelope().payload().length < 200,
                    "a resumed sync carries the shared heads, not a filter of the history: " + message);
        }
        harness.deliverAll();
        harness.assertConverged("after the return");
    }

    // ------------------------------------------------------------------ steady state

    @Test
    void inSteadyStateEachBatchIsOnePushAndNothingComesBack() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];

        alice.type("x");
        List<Sent> push = harness.inFlight();
        assertEquals(1, push.size());
        assertEquals(EnvelopeKind.CHANGES, push.get(0).kind());
        Pushing pushing = assertInstanceOf(Pushing.class, alice.phaseWith(bob));
        assertEquals(0, pushing.ticks());
        assertEquals(1, pushing.pushes().size());

        int mark = harness.mark();
        harness.deliverAll();
        assertEquals(List.of(), harness.sentSince(mark), "a push is not answered");
        assertEquals("hello x", bob.text());
        assertTrue(bob.engine.session(alice.id).confirmDue(), "bob owes alice a confirmation");
        assertInstanceOf(InSync.class, bob.phaseWith(alice));

        alice.typeInOneTurn("a", "b", "c");
        assertEquals(1, harness.inFlight().size(), "one push for a batch of three changes");
        harness.deliverAll();
        assertEquals("hello xabc", bob.text());
    }

    @Test
    void theReceiversNextTickConfirmsEveryPushWithOneAck() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        for (int i = 0; i < 5; i++) {
            alice.type("x");
            harness.deliverAll();
        }
        PeerStatus before = alice.statusOf(bob);
        assertFalse(before.inSync(), "pushes are not acknowledged yet");
        assertTrue(before.unacknowledgedBytes() > 0, before.toString());

        int mark = harness.mark();
        bob.turn(bob.engine::resync);
        List<Sent> sent = harness.sentSince(mark);
        assertEquals(1, sent.size());
        assertEquals(EnvelopeKind.ACK, sent.get(0).kind());
        assertEquals(bob.document.heads(), Heads.decode(sent.get(0).envelope().payload()));
        harness.deliverAll();

        assertInstanceOf(InSync.class, alice.phaseWith(bob));
        PeerStatus after = alice.statusOf(bob);
        assertTrue(after.inSync(), after.toString());
        assertEquals(0, after.unacknowledgedBytes());
    }

    @Test
    void anAckOfAnEarlierPushConfirmsItAndTheOnesBeforeIt() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        alice.type("1");
        harness.deliverAll();
        bob.turn(bob.engine::resync);
        Sent ack = harness.take(EnvelopeKind.ACK);
        alice.type("2");
        alice.type("3");
        harness.deliver(ack);

        Pushing pushing = assertInstanceOf(Pushing.class, alice.phaseWith(bob));
        assertEquals(2, pushing.pushes().size(), "the two later pushes are still unconfirmed");
        assertEquals(0, pushing.ticks(), "the confirmation restarts the count of ticks");
    }

    @Test
    void anAckForHeadsThatWereNeverPushedIsIgnored() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        alice.type("x");
        harness.deliver(new Sent(
                bob.id,
                alice.id,
                Envelope.ack(
                        SyncHarness.DOCUMENT_ID, alice.document.initialHeads().encode())));
        assertInstanceOf(Pushing.class, alice.phaseWith(bob));
        assertEquals(List.of(), alice.rejections, "a stale ack is no error");
    }

    // ------------------------------------------------------------------ loss, duplication, reordering

    @Test
    void aLostPushIsRepairedWhenItStaysUnconfirmedForTwoTicks() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        alice.type("lost");
        harness.take(EnvelopeKind.CHANGES);

        harness.tick();
        assertEquals(1, assertInstanceOf(Pushing.class, alice.phaseWith(bob)).ticks());
        assertEquals(List.of(), harness.inFlight(), "the first tick waits: the confirmation may be on its way");
        harness.tick();
        assertSame(Phase.SYNCING, alice.phaseWith(bob), "the second tick ends the pushing");
        assertEquals(EnvelopeKind.SYNC, harness.inFlight().get(0).kind(), "and repairs with a sync round");

        harness.deliverAll();
        assertEquals("hello lost", bob.text());
        assertInstanceOf(InSync.class, alice.phaseWith(bob));
        assertTrue(alice.statusOf(bob).inSync());
    }

    @Test
    void aPushWhoseDependencyWasLostMakesTheReceiverSyncAtOnce() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        alice.type("a");
        harness.take(EnvelopeKind.CHANGES);
        alice.type("b");

        harness.deliverAll();
        assertEquals("hello ab", bob.text(), "repaired without waiting for a tick");
        harness.assertConverged("after the repair");
    }

    @Test
    void aDuplicatedPushIsAppliedOnce() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        alice.type("once");
        Sent push = harness.take(EnvelopeKind.CHANGES);
        harness.deliver(push);
        harness.deliver(push);
        harness.deliverAll();

        assertEquals("hello once", bob.text());
        harness.assertConverged("after the duplicate");
        assertEquals(List.of(), bob.rejections);
    }

    @Test
    void pushesDeliveredOutOfOrderEndInTheSameDocument() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        alice.type("1");
        alice.type("2");
        Sent first = harness.take(EnvelopeKind.CHANGES);
        Sent second = harness.take(EnvelopeKind.CHANGES);
        harness.deliver(second);
        harness.deliver(first);
        harness.deliverAll();

        assertEquals("hello 12", bob.text());
        harness.assertConverged("after reordering");
    }

    @Test
    void aLostSyncMessageIsRetriedAtTheNextTick() {
        Node alice = harness.node("alice");
        Node bob = harness.node("bob");
        alice.type("a");
        bob.type("b");
        harness.connect(alice, bob);
        harness.time.advance(SyncEngine.INITIAL_SYNC_GRACE);
        harness.dropAll();

        harness.settle(3);
        assertInstanceOf(InSync.class, alice.phaseWith(bob));
        assertInstanceOf(InSync.class, bob.phaseWith(alice));
    }

    @Test
    void aLostAckAndALostRepairAnswerAreRecoveredWithoutNewEdits() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        alice.type("x");
        harness.deliverAll();
        bob.turn(bob.engine::resync);
        harness.take(EnvelopeKind.ACK);
        harness.tick();
        harness.tick();
        assertSame(Phase.SYNCING, alice.phaseWith(bob));
        harness.deliver(harness.take(message -> message.from().equals(alice.id)));
        harness.take(message -> message.from().equals(bob.id));
        harness.dropAll();

        for (int tick = 0; tick < 2; tick++) {
            harness.tick();
            harness.deliverAll();
        }
        assertTrue(
                alice.statusOf(bob).inSync(),
                "the room is quiet and both hold the same document; alice must learn it: " + alice.statusOf(bob));
        assertTrue(bob.statusOf(alice).inSync(), bob.statusOf(alice).toString());
    }

    @Test
    void aPeerThatLostTheLastAnswerOfASyncRoundLearnsAtItsNextTickThatBothAreInSync() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        harness.disconnect(alice, bob);
        alice.type(" from alice");
        harness.connect(alice, bob);
        // Deliver until only the last answer of the round is in flight, and lose it.
        while (harness.inFlight().size() > 0
                && !(harness.converged() && harness.inFlight().size() == 1)) {
            harness.deliver(harness.take(message -> true));
        }
        harness.dropAll();
        harness.assertConverged("both hold the same document");
        PeerStatus stale = alice.statusOf(bob).inSync() ? bob.statusOf(alice) : alice.statusOf(bob);
        assertFalse(stale.inSync(), "one side does not know yet: " + stale);

        harness.tick();
        harness.deliverAll();
        assertTrue(alice.statusOf(bob).inSync(), alice.statusOf(bob).toString());
        assertTrue(bob.statusOf(alice).inSync(), bob.statusOf(alice).toString());
    }

    // ------------------------------------------------------------------ catching up

    @Test
    void oncePushesAreOverdueBatchesGoAsSyncMessagesNotPushesOnTopOfLostOnes() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        alice.type("lost");
        harness.dropAll();
        harness.tick();
        harness.tick();
        harness.dropAll();

        alice.type("later");
        assertEquals(
                List.of(EnvelopeKind.SYNC),
                harness.inFlight().stream().map(Sent::kind).toList(),
                "a push would depend on the lost one");
        harness.deliverAll();
        assertEquals("hello lostlater", bob.text());
    }

    @Test
    void aPeerMissingTheAncestorsOfAPushGetsThemAllInOneRoundTrip() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        String[] batch = new String[60];
        java.util.Arrays.fill(batch, "x");
        alice.typeInOneTurn(batch);
        harness.take(EnvelopeKind.CHANGES);
        alice.type("!");

        int mark = harness.mark();
        harness.deliverAll();
        assertEquals("hello " + "x".repeat(60) + "!", bob.text());
        List<Sent> sent = harness.sentSince(mark);
        assertTrue(
                sent.size() <= 8, "Automerge alone fetches the 60 missing changes one round trip each; sent: " + sent);
    }

    @Test
    void aPeerAskingByHashForChangesThisSideLacksGetsNoCatchUpOfChangesItCannotUse() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        bob.type("x");
        harness.dropAll();
        // Alice asks, by hash alone, for an ancestor (of a third peer's change she holds back)
        // that bob lacks too. Every change bob holds beyond her heads cannot be what she asks
        // for; under loss and duplication she held such changes back already, applied nothing,
        // asked again and got them again, thousands of round trips in five-peer runs.
        byte[] nobodyHolds = new byte[32];
        Arrays.fill(nobodyHolds, (byte) 7);
        byte[] question = askByHashOnly(alice.document.heads(), nobodyHolds);

        int mark = harness.mark();
        harness.deliver(new Sent(alice.id, bob.id, Envelope.sync(SyncHarness.DOCUMENT_ID, question)));
        List<Sent> answer = harness.sentSince(mark);
        assertEquals(List.of(EnvelopeKind.SYNC), answer.stream().map(Sent::kind).toList(), "answer: " + answer);

        harness.deliverAll();
        harness.assertConverged("Automerge's own answers still bring alice what bob holds");
        assertEquals("hello x", alice.text());
    }

    /** An Automerge sync message (v1) that holds {@code heads}, asks for {@code need} and has no filter. */
    private static byte[] askByHashOnly(Heads heads, byte[] need) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x42);
        out.write(heads.hashes().size()); // a LEB128 count below 128 is one byte
        heads.hashes().forEach(out::writeBytes);
        out.write(1);
        out.writeBytes(need);
        out.write(0); // no have: the sender cannot say what it shares while it lacks ancestors
        out.write(0); // no changes
        return out.toByteArray();
    }

    @Test
    void aLargeCatchUpTravelsAsASnapshotWhenThatIsMuchSmaller() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        harness.disconnect(alice, bob);
        for (int batch = 0; batch < 40; batch++) {
            String[] edits = new String[100];
            java.util.Arrays.fill(edits, "y");
            alice.typeInOneTurn(edits);
        }
        bob.type(" and bob");

        int mark = harness.mark();
        harness.connect(alice, bob);
        harness.deliverAll();
        harness.assertConverged("after the catch-up");
        List<Sent> sent = harness.sentSince(mark);
        Sent snapshot = sent.stream()
                .filter(message -> message.kind() == EnvelopeKind.SNAPSHOT)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no snapshot: " + sent));
        assertEquals(alice.id, snapshot.from());
        for (Sent message : sent) {
            assertTrue(
                    message.envelope().payload().length <= SyncEngine.LARGE_CATCH_UP_BYTES,
                    "4,000 changes in one message instead: " + message);
        }
        assertTrue(alice.statusOf(bob).inSync(), alice.statusOf(bob).toString());
        assertTrue(bob.statusOf(alice).inSync(), bob.statusOf(alice).toString());
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void aMalformedSyncMessageIsRejectedWithWhatWasWrongAndSyncStartsOver() {
        Node[] pair = inSync("kept");
        Node alice = pair[0];
        Node bob = pair[1];
        ObjectNode before = bob.document.tree();

        harness.deliver(new Sent(alice.id, bob.id, Envelope.sync(SyncHarness.DOCUMENT_ID, new byte[] {1, 2, 3, 4, 5})));

        assertEquals(1, bob.rejections.size(), bob.rejections.toString());
        String problem = bob.rejections.get(0);
        assertTrue(problem.startsWith("alice: Automerge rejected a sync message of 5 bytes (0102030405): "), problem);
        assertTrue(problem.endsWith("; sync with this peer starts over"), problem);
        assertEquals(before, bob.document.tree(), "the document is unchanged");
        assertSame(Phase.SYNCING, bob.phaseWith(alice), "the session is reset");
        assertEquals(bob.document.initialHeads(), bob.statusOf(alice).acknowledged(), "nothing is shared any more");

        harness.tick();
        harness.deliverAll();
        assertTrue(bob.statusOf(alice).inSync(), "sync recovers: " + bob.statusOf(alice));
        alice.type(" and more");
        harness.deliverAll();
        assertEquals("kept and more", bob.text());
    }

    @Test
    void malformedChangesSnapshotsAndAcksAreRejectedAndTheDocumentIsUnchanged() {
        Node[] pair = inSync("kept");
        Node alice = pair[0];
        Node bob = pair[1];
        ObjectNode before = bob.document.tree();

        harness.deliver(new Sent(alice.id, bob.id, Envelope.changes(SyncHarness.DOCUMENT_ID, new byte[] {7, 7, 7, 7})));
        harness.dropAll();
        harness.deliver(new Sent(alice.id, bob.id, Envelope.snapshot(SyncHarness.DOCUMENT_ID, new byte[] {9, 9, 9})));
        harness.deliver(new Sent(alice.id, bob.id, Envelope.ack(SyncHarness.DOCUMENT_ID, new byte[] {1, 2, 3})));
        harness.deliver(new Sent(alice.id, bob.id, Envelope.ephemeral(SyncHarness.DOCUMENT_ID, new byte[] {1})));

        List<String> problems = bob.rejections;
        assertEquals(4, problems.size(), problems.toString());
        assertEquals(
                "alice: pushed changes must be whole Automerge change chunks, but in these 4 bytes (07070707) a"
                        + " chunk header at offset 0 is cut short",
                problems.get(0));
        assertTrue(
                problems.get(1).startsWith("alice: Automerge could not load a snapshot of 3 bytes (090909): "),
                problems.get(1));
        assertEquals(
                "alice: an ack must carry heads (0x43, a LEB128 count, then 32-byte change hashes), but its 3 bytes"
                        + " (010203) do not",
                problems.get(2));
        assertEquals("alice: unexpected ephemeral envelope", problems.get(3));
        assertEquals(before, bob.document.tree(), "the document is unchanged");

        harness.settle(3);
        alice.type(" and more");
        harness.deliverAll();
        assertEquals("kept and more", bob.text(), "the session carries on");
    }

    // ------------------------------------------------------------------ transports and the end

    @Test
    void aTransportChangeRestartsTheExchangeAtOnce() {
        Node[] pair = inSync("hello ");
        Node alice = pair[0];
        Node bob = pair[1];
        alice.type("lost with the old channel");
        harness.take(EnvelopeKind.CHANGES);

        alice.turn(() -> alice.engine.transportChanged(bob.id, null, "relay"));
        assertEquals(List.of(), harness.inFlight(), "joining a first transport is a join, not a change");
        alice.turn(() -> alice.engine.transportChanged(bob.id, "webrtc", "relay"));
        assertSame(Phase.SYNCING, alice.phaseWith(bob));
        assertEquals(EnvelopeKind.SYNC, harness.inFlight().get(0).kind());
        harness.deliverAll();
        assertEquals("hello lost with the old channel", bob.text(), "repaired without waiting for a tick");
    }

    @Test
    void aNewcomerWaitingForASnapshotIgnoresTransportChanges() {
        Node alice = harness.node("alice");
        alice.type("history");
        Node bob = harness.node("bob");
        harness.connect(alice, bob);
        harness.dropAll();

        bob.turn(() -> bob.engine.transportChanged(alice.id, "webrtc", "relay"));
        assertInstanceOf(AwaitingSnapshot.class, bob.phaseWith(alice));
        assertEquals(List.of(), harness.inFlight());
    }

    @Test
    void closingEndsEverySessionAndCancelsItsTimers() {
        Node alice = harness.node("alice");
        alice.type("history");
        Node bob = harness.node("bob");
        harness.connect(alice, bob);
        harness.dropAll();
        assertEquals(2, harness.time.pending(), "the grace and the snapshot timeout");

        alice.engine.close();
        bob.engine.close();
        assertEquals(0, harness.time.pending());
        harness.time.advance(Duration.ofSeconds(10));
        assertEquals(List.of(), harness.inFlight());
        assertEquals(List.of(), alice.engine.status());
    }
}
