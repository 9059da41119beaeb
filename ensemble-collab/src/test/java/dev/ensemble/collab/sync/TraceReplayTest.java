package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;
import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.collab.wire.EnvelopeKind;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.testkit.transport.TestPeers;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The automerge-paper editing trace (Martin Kleppmann, CC BY 4.0; see
 * src/test/resources/traces/README.md) replayed through a CollaborationActor, one change per
 * edit, must end exactly at its final text; a second peer that had nothing converges to it.
 */
class TraceReplayTest {
    /** The view: one collaborative text. */
    public record Paper(String text) {}

    /** Actions of {@link PaperActor}. */
    public interface PaperActions {
        void splice(int position, int deleteCount, String insert);

        CompletableFuture<String> text();
    }

    /** One Automerge change per splice. */
    public static final class PaperActor extends CollaborationActor<Paper> implements PaperActions {
        private static final DocPath TEXT = DocPath.of("text");

        public PaperActor(CollaborationSettings<Paper> settings) {
            super(settings);
        }

        @Override
        public void splice(int position, int deleteCount, String insert) {
            change(tx -> tx.spliceText(TEXT, position, deleteCount, insert));
        }

        @Override
        public CompletableFuture<String> text() {
            return reply(view().text());
        }
    }

    static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    static final ActorToken<PaperActions, Paper> PAPER = ActorToken.of("paper", PaperActions.class, Paper.class);

    static JsonNode loadTrace() throws IOException {
        try (InputStream in = TraceReplayTest.class.getResourceAsStream("/traces/automerge-paper.json.gz")) {
            if (in == null) {
                throw new IllegalStateException("traces/automerge-paper.json.gz is missing from the test resources");
            }
            return new ObjectMapper().readTree(new GZIPInputStream(in));
        }
    }

    private static ActorSystem peer(String name, NetworkSimulator network) {
        return ActorSystem.builder(name)
                .add(
                        PEERS,
                        () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                .transport(network.transportFor(TestPeers.id(name)))
                                .build()))
                .add(
                        PAPER,
                        () -> new PaperActor(CollaborationSettings.builder("paper", Paper.class, new Paper(""))
                                .peers(PEERS)
                                .build()),
                        PEERS)
                .start();
    }

    @Test
    void theAutomergePaperTraceEndsAtItsFinalTextAndASecondPeerConverges() throws Exception {
        JsonNode trace = loadTrace();
        String endContent = trace.get("endContent").textValue();
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(1)
                .conditions(
                        LinkConditions.builder().latency(Duration.ofMillis(2)).build())
                .build();
        try (ActorSystem author = peer("author", network);
                ActorSystem reader = peer("reader", network)) {
            network.goOffline(TestPeers.id("reader"));
            network.runUntilQuiet(1000);
            ActorClient<PaperActions, Paper> paper = author.client(PAPER);
            int edits = 0;
            for (JsonNode txn : trace.get("txns")) {
                for (JsonNode patch : txn.get("patches")) {
                    paper.actions()
                            .splice(
                                    patch.get(0).intValue(),
                                    patch.get(1).intValue(),
                                    patch.get(2).textValue());
                    edits++;
                }
            }
            assertEquals(259_778, edits);
            assertEquals(
                    endContent,
                    paper.withAskTimeout(Duration.ofMinutes(5)).actions().text().get());

            List<EnvelopeKind> arrived = new CopyOnWriteArrayList<>();
            reader.client(PEERS)
                    .onEvent(
                            PeerEvents.document("paper"),
                            event -> arrived.add(((PeerEvents.Received) event.payload())
                                    .envelope()
                                    .kind()));
            network.goOnline(TestPeers.id("reader"));
            ActorClient<PaperActions, Paper> copy = reader.client(PAPER).withAskTimeout(Duration.ofMinutes(2));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!endContent.equals(copy.actions().text().get()) && System.nanoTime() < deadline) {
                network.runFor(Duration.ofMillis(50));
            }
            assertEquals(endContent, copy.actions().text().get(), "the second peer did not converge");
            assertTrue(arrived.contains(EnvelopeKind.SNAPSHOT), "the empty peer must get a snapshot: " + arrived);
        }
    }
}
