package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Catching up after a healed partition on a lossy network: four peers each replay the start of
 * the automerge-paper editing trace (Martin Kleppmann, CC BY 4.0) into their own text of one
 * document, over links with 5 % loss (25 % between peer-0 and peer-3) and duplication, while two
 * pairs are cut apart and one peer is offline for a while. All four must hold the same document
 * within a few seconds of simulated time after the last edit: 0.1 s with the fix, 114.5 s before
 * it (a peer that held pushed changes whose ancestors were lost fetched those ancestors from
 * Automerge one round trip each). The benchmark {@code CatchUpBenchmark} runs the same scenario
 * with up to 77,000 edits.
 */
class CatchUpAfterPartitionTest {
    /** The view: one text per peer. */
    public record Drafts(String p0, String p1, String p2, String p3) {}

    /** Actions of {@link DraftsActor}. */
    public interface DraftsActions {
        void replay(String field, int from, int to);

        void resyncNow();

        CompletableFuture<Drafts> drafts();
    }

    /** One change per edit, a batch of edits per turn. */
    public static final class DraftsActor extends CollaborationActor<Drafts> implements DraftsActions {
        public DraftsActor(CollaborationSettings<Drafts> settings) {
            super(settings);
        }

        @Override
        public void replay(String field, int from, int to) {
            DocPath text = DocPath.of(field);
            for (int i = from; i < to; i++) {
                int[] edit = EDITS.get(i);
                String insert = INSERTS.get(i);
                change(tx -> tx.spliceText(text, edit[0], edit[1], insert));
            }
        }

        @Override
        public void resyncNow() {
            resync();
        }

        @Override
        public CompletableFuture<Drafts> drafts() {
            return reply(view());
        }
    }

    private static final int PEERS = 4;
    private static final int EDITS_PER_PEER = 2_000;
    private static final int STEPS = 100;
    private static final Duration STEP = Duration.ofMillis(500);
    private static final Duration SLICE = Duration.ofMillis(100);
    private static final Duration RESYNC_INTERVAL = CollaborationSettings.DEFAULT_RESYNC_INTERVAL;
    /** The bound: the engine before the fix took 114.5 s here. */
    private static final Duration CONVERGES_WITHIN = Duration.ofSeconds(10);

    private static final ActorToken<PeerMessaging, Roster> PEERS_TOKEN = PeerMessaging.token("peers");
    private static final ActorToken<DraftsActions, Drafts> DRAFTS =
            ActorToken.of("drafts", DraftsActions.class, Drafts.class);
    private static final List<int[]> EDITS = new ArrayList<>();
    private static final List<String> INSERTS = new ArrayList<>();
    private static String expected;

    @BeforeAll
    static void loadTrace() throws Exception {
        JsonNode trace = TraceReplayTest.loadTrace();
        StringBuilder text = new StringBuilder();
        for (JsonNode txn : trace.get("txns")) {
            for (JsonNode patch : txn.get("patches")) {
                if (EDITS.size() == EDITS_PER_PEER) {
                    expected = text.toString();
                    return;
                }
                int position = patch.get(0).intValue();
                int deleteCount = patch.get(1).intValue();
                String insert = patch.get(2).textValue();
                EDITS.add(new int[] {position, deleteCount});
                INSERTS.add(insert);
                int start = text.offsetByCodePoints(0, position);
                text.replace(start, text.offsetByCodePoints(start, deleteCount), insert);
            }
        }
    }

    @Test
    void fourPeersHoldTheSameDocumentWithinSecondsOfTheLastEditAfterAHealedPartition() {
        long seed = 1;
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(seed)
                .traceCapacity(0)
                .conditions(conditions(0.05))
                .build();
        PeerId worst = TestPeers.id("peer-0");
        PeerId away = TestPeers.id("peer-3");
        network.setLinkConditions(worst, away, conditions(0.25));
        network.setLinkConditions(away, worst, conditions(0.25));
        List<ActorSystem> systems = new ArrayList<>();
        List<ActorClient<DraftsActions, Drafts>> peers = new ArrayList<>();
        try {
            for (int i = 0; i < PEERS; i++) {
                ActorSystem system = peer("peer-" + i, network);
                systems.add(system);
                peers.add(system.client(DRAFTS));
            }
            network.runFor(STEP);
            Set<PeerId> left = Set.of(TestPeers.id("peer-0"), TestPeers.id("peer-1"));
            Set<PeerId> right = Set.of(TestPeers.id("peer-2"), away);
            for (int step = 0; step < STEPS; step++) {
                switch (step) {
                    case 30 -> network.partition(left, right);
                    case 55 -> network.goOffline(away);
                    case 75 -> network.heal();
                    case 90 -> network.goOnline(away);
                    default -> {}
                }
                for (int i = 0; i < PEERS; i++) {
                    peers.get(i)
                            .actions()
                            .replay("p" + i, step * EDITS_PER_PEER / STEPS, (step + 1) * EDITS_PER_PEER / STEPS);
                }
                if (step + 1 < STEPS) {
                    network.runFor(STEP);
                    if ((step + 1) % 4 == 0) {
                        resync(peers);
                    }
                }
            }

            Duration elapsed = Duration.ZERO;
            long slices = 0;
            while (!converged(peers) && elapsed.compareTo(CONVERGES_WITHIN) < 0) {
                network.runFor(SLICE);
                elapsed = elapsed.plus(SLICE);
                if (++slices % (RESYNC_INTERVAL.toMillis() / SLICE.toMillis()) == 0) {
                    resync(peers);
                }
            }
            assertTrue(
                    converged(peers),
                    "seed " + seed + ": the four documents still differ " + elapsed + " after the last edit");
            for (ActorClient<DraftsActions, Drafts> peer : peers) {
                Drafts drafts = peer.actions().drafts().join();
                assertEquals(new Drafts(expected, expected, expected, expected), drafts, "every edit of every peer");
            }
        } finally {
            for (ActorSystem system : systems) {
                system.close();
            }
        }
    }

    private static LinkConditions conditions(double lossRate) {
        return LinkConditions.builder()
                .latency(Duration.ofMillis(5), Duration.ofMillis(40))
                .lossRate(lossRate)
                .duplicationRate(0.02)
                .build();
    }

    private static ActorSystem peer(String name, NetworkSimulator network) {
        ActorProps inline = ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread());
        return ActorSystem.builder(name)
                .add(
                        PEERS_TOKEN,
                        () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                .transport(network.transportFor(TestPeers.id(name)))
                                .expiryCheck(SimRoom.NEVER)
                                .build()),
                        inline)
                .add(
                        DRAFTS,
                        () -> new DraftsActor(
                                CollaborationSettings.builder("drafts", Drafts.class, new Drafts("", "", "", ""))
                                        .peers(PEERS_TOKEN)
                                        .resyncInterval(SimRoom.NEVER)
                                        .snapshotTimeout(SimRoom.NEVER)
                                        .build()),
                        inline,
                        PEERS_TOKEN)
                .start();
    }

    private static void resync(List<ActorClient<DraftsActions, Drafts>> peers) {
        for (ActorClient<DraftsActions, Drafts> peer : peers) {
            peer.actions().resyncNow();
        }
    }

    private static boolean converged(List<ActorClient<DraftsActions, Drafts>> peers) {
        Drafts first = peers.get(0).actions().drafts().join();
        for (ActorClient<DraftsActions, Drafts> peer : peers) {
            if (!peer.actions().drafts().join().equals(first)) {
                return false;
            }
        }
        return true;
    }
}
