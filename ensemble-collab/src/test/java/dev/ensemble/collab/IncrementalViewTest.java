package dev.ensemble.collab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incremental view equals a full decode of the document after every step of randomized
 * sequences: local edits of every kind, concurrent edits on several peers, sync over the
 * simulator (whole and partial), partitions, restarts (whose first sync is a snapshot), failed
 * transactions and whole-view updates. The seed of a failing run is in the failure message.
 */
class IncrementalViewTest {
    private static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    private static final ActorToken<FuzzActions, FuzzView> DOC =
            ActorToken.of("doc", FuzzActions.class, FuzzView.class);
    private static final Duration NEVER = Duration.ofHours(1);
    private static final int PEER_COUNT = 3;
    private static final int STEPS = 800;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void viewEqualsAFullDecodeAfterEveryStep(long seed) {
        Random random = new Random(seed);
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(seed)
                .conditions(
                        LinkConditions.builder().latency(Duration.ofMillis(5)).build())
                .build();
        ActorSystem[] systems = new ActorSystem[PEER_COUNT];
        try {
            for (int i = 0; i < PEER_COUNT; i++) {
                systems[i] = start(network, i);
            }
            for (int step = 0; step < STEPS; step++) {
                String what = step(random, network, systems);
                for (int i = 0; i < PEER_COUNT; i++) {
                    String problem = doc(systems[i]).actions().check().join();
                    assertNull(problem, "seed " + seed + ", step " + step + " (" + what + "), peer-" + i);
                }
            }
            network.heal();
            for (int round = 0; round < 5; round++) {
                network.runUntilQuiet(5_000_000);
                for (ActorSystem system : systems) {
                    doc(system).actions().resyncNow();
                }
            }
            network.runUntilQuiet(5_000_000);
            for (int i = 0; i < PEER_COUNT; i++) {
                assertNull(doc(systems[i]).actions().check().join(), "seed " + seed + ", at the end, peer-" + i);
                assertEquals(
                        doc(systems[0]).state(), doc(systems[i]).state(), "seed " + seed + ": peers did not converge");
            }
        } finally {
            for (ActorSystem system : systems) {
                if (system != null) {
                    system.close();
                }
            }
        }
    }

    /** Takes one random step; returns what it did, for the failure message. */
    private static String step(Random random, NetworkSimulator network, ActorSystem[] systems) {
        int kind = random.nextInt(14);
        int peer = random.nextInt(PEER_COUNT);
        if (kind < 6) {
            doc(systems[peer]).actions().edit(random.nextLong());
            return "edit on peer-" + peer;
        } else if (kind < 8) {
            // Edits on two peers before any sync: concurrent changes.
            int other = (peer + 1) % PEER_COUNT;
            doc(systems[peer]).actions().edit(random.nextLong());
            doc(systems[other]).actions().edit(random.nextLong());
            return "concurrent edits on peer-" + peer + " and peer-" + other;
        } else if (kind < 10) {
            network.runUntilQuiet(5_000_000);
            return "sync until quiet";
        } else if (kind == 10) {
            network.runFor(Duration.ofMillis(random.nextInt(8)));
            return "partial sync";
        } else if (kind == 11) {
            if (random.nextBoolean()) {
                network.partition(Set.of(id(peer)), Set.of(id((peer + 1) % PEER_COUNT), id((peer + 2) % PEER_COUNT)));
                return "partition peer-" + peer;
            }
            network.heal();
            return "heal";
        } else if (kind == 12 && random.nextInt(4) == 0) {
            systems[peer].close();
            systems[peer] = start(network, peer);
            return "restart peer-" + peer;
        }
        doc(systems[peer]).actions().resyncNow();
        return "resync on peer-" + peer;
    }

    /** Sequential edits from two peers reach each other as patches: no full reads after the start. */
    @Test
    void changesFromAPeerThatExtendTheDocumentAreAppliedAsPatches() {
        NetworkSimulator network = NetworkSimulator.builder().seed(7).build();
        ActorSystem a = start(network, 0);
        ActorSystem b = start(network, 1);
        try {
            network.runUntilQuiet(5_000_000);
            long readsA = doc(a).actions().fullReads().join();
            long readsB = doc(b).actions().fullReads().join();
            Random random = new Random(7);
            for (int i = 0; i < 200; i++) {
                doc(i % 2 == 0 ? a : b).actions().edit(random.nextLong());
                network.runUntilQuiet(5_000_000);
            }
            assertNull(doc(a).actions().check().join());
            assertNull(doc(b).actions().check().join());
            assertEquals(doc(a).state(), doc(b).state());
            // Only a rare edit (a whole-view update whose diff Automerge cannot express as
            // patches of ours, say) may read the document again; 200 edits must not.
            long extraA = doc(a).actions().fullReads().join() - readsA;
            long extraB = doc(b).actions().fullReads().join() - readsB;
            assertTrue(extraA <= 2 && extraB <= 2, "full reads during 200 sequential edits: " + extraA + ", " + extraB);
        } finally {
            a.close();
            b.close();
        }
    }

    /**
     * Keystrokes pushed by a peer (insertions, deletions of one character, and changes that insert
     * in two places) are followed without patches and without reading the document, and the view
     * equals a full decode after each: the fast path the remote-keystroke benchmark measures.
     */
    @Test
    void keystrokesFromAPeerAreFollowedWithoutPatches() {
        NetworkSimulator network = NetworkSimulator.builder().seed(11).build();
        ActorSystem a = start(network, 0);
        ActorSystem b = start(network, 1);
        try {
            network.runUntilQuiet(5_000_000);
            doc(a).actions().splice(0, 0, "start");
            network.runUntilQuiet(5_000_000);
            long followed = doc(b).actions().remoteTextEdits().join();
            long reads = doc(b).actions().fullReads().join();
            Random random = new Random(11);
            int keystrokes = 300;
            int caret = 5;
            for (int i = 0; i < keystrokes; i++) {
                // A person at a caret: typing on, deleting back, moving it a little or far, and
                // now and then a change that inserts in two places.
                int length = doc(a).state().text().codePointLength();
                int move = random.nextInt(10);
                if (move == 0) {
                    caret = random.nextInt(length + 1);
                } else if (move < 3) {
                    caret = Math.max(0, Math.min(length, caret + random.nextInt(7) - 3));
                }
                int kind = random.nextInt(10);
                if (kind < 3 && caret > 0) {
                    doc(a).actions().splice(--caret, 1, "");
                } else if (kind == 3) {
                    int elsewhere = random.nextInt(length + 1);
                    doc(a).actions().insertTwice(caret, "t", elsewhere <= caret ? elsewhere : elsewhere + 1, "w");
                    caret += elsewhere <= caret ? 2 : 1;
                } else {
                    doc(a).actions().splice(caret++, 0, random.nextInt(8) == 0 ? "😀" : "k");
                }
                network.runUntilQuiet(5_000_000);
                assertNull(doc(b).actions().check().join(), "after keystroke " + i);
            }
            assertNull(doc(b).actions().check().join());
            assertEquals(doc(a).state(), doc(b).state());
            assertEquals(keystrokes, doc(b).actions().remoteTextEdits().join() - followed);
            assertEquals(reads, doc(b).actions().fullReads().join());
        } finally {
            a.close();
            b.close();
        }
    }

    private static ActorSystem start(NetworkSimulator network, int index) {
        PeerId id = id(index);
        ActorProps inline = ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread());
        CollaborationSettings<FuzzView> settings = FuzzActor.settings("fuzz")
                .peers(PEERS)
                .resyncInterval(NEVER)
                .snapshotTimeout(NEVER)
                .build();
        return ActorSystem.builder("peer-" + index)
                .add(
                        PEERS,
                        () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                .transport(network.transportFor(id))
                                .expiryCheck(NEVER)
                                .build()),
                        inline)
                .add(DOC, () -> new FuzzActor(settings), inline, PEERS)
                .start();
    }

    private static PeerId id(int index) {
        return TestPeers.id("peer-" + index);
    }

    private static ActorClient<FuzzActions, FuzzView> doc(ActorSystem system) {
        return system.client(DOC);
    }
}
