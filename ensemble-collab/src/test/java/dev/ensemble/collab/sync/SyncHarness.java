package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.DocPath;
import dev.ensemble.collab.DocumentTransaction;
import dev.ensemble.collab.TestDocument;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeKind;
import dev.ensemble.core.Cancellable;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@link SyncEngine}s of one document, one per node, joined by an in-memory wire and driven on
 * {@link VirtualTime}, the way Netty's {@code EmbeddedChannel} drives one handler: nothing
 * happens unless the test delivers, ticks or advances the clock, and the test can inspect, drop,
 * repeat or reorder every envelope on the wire. No actors, no threads.
 *
 * <p>Each delivery, timer and tick is one "turn" of the receiving node, as in a collaboration
 * actor: if peers' input or local edits changed its document during the turn, the node flushes
 * its engine once at the end of the turn.
 */
final class SyncHarness implements AutoCloseable {
    static final String DOCUMENT_ID = "board";
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_DELIVERIES = 100_000;

    final VirtualTime time = new VirtualTime();
    private final Map<PeerId, Node> nodes = new LinkedHashMap<>();
    /** Envelopes sent and not delivered, dropped or taken yet, oldest first. */
    private final List<Sent> inFlight = new ArrayList<>();
    /** Every envelope ever sent, oldest first. */
    private final List<Sent> sent = new ArrayList<>();

    /** One envelope on the wire. */
    record Sent(PeerId from, PeerId to, Envelope envelope) {
        EnvelopeKind kind() {
            return envelope.kind();
        }

        @Override
        public String toString() {
            return envelope.kind().wireName() + " " + TestPeers.nameOf(from) + "->" + TestPeers.nameOf(to) + " ("
                    + envelope.payload().length + " B)";
        }
    }

    /** A peer: its document, its engine and what its engine told it. */
    final class Node implements SyncHost {
        final PeerId id;
        final TestDocument document;
        final SyncEngine engine;
        final List<String> rejections = new ArrayList<>();
        final List<PeerId> merges = new ArrayList<>();
        private boolean dirty;

        Node(String name) {
            this.id = TestPeers.id(name);
            this.document = TestDocument.create(DOCUMENT_ID);
            this.engine = new SyncEngine(DOCUMENT_ID, document, this, SNAPSHOT_TIMEOUT);
        }

        /** Runs something as one turn: the engine flushes at its end if the document changed. */
        void turn(Runnable work) {
            work.run();
            if (dirty) {
                dirty = false;
                engine.flush();
            }
        }

        /** A local edit in a turn of its own. */
        void edit(Consumer<DocumentTransaction> edit) {
            turn(() -> {
                if (document.edit(edit)) {
                    dirty = true;
                }
            });
        }

        /** Appends to the text, one change, one turn. */
        void type(String text) {
            DocPath path = DocPath.of("text");
            edit(tx -> tx.spliceText(path, (int) tx.length(path), 0, text));
        }

        /** Several changes in one turn: one flush for all. */
        void typeInOneTurn(String... texts) {
            DocPath path = DocPath.of("text");
            turn(() -> {
                for (String text : texts) {
                    if (document.edit(tx -> tx.spliceText(path, (int) tx.length(path), 0, text))) {
                        dirty = true;
                    }
                }
            });
        }

        String text() {
            return document.tree().get("text").textValue();
        }

        Phase phaseWith(Node peer) {
            return engine.session(peer.id).phase();
        }

        PeerStatus statusOf(Node peer) {
            return engine.status().stream()
                    .filter(status -> status.peer().equals(peer.id))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(id + " has no session with " + peer.id));
        }

        @Override
        public void send(PeerId peer, Envelope envelope) {
            Sent message = new Sent(id, peer, envelope);
            sent.add(message);
            inFlight.add(message);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return time.schedule(delay, () -> turn(task));
        }

        @Override
        public void changed() {
            dirty = true;
        }

        @Override
        public void merged(PeerId peer) {
            merges.add(peer);
        }

        @Override
        public void rejected(PeerId peer, String problem) {
            rejections.add(TestPeers.nameOf(peer) + ": " + problem);
        }

        @Override
        public String toString() {
            return TestPeers.nameOf(id);
        }
    }

    /** A node whose document holds only the initial change. */
    Node node(String name) {
        Node node = new Node(name);
        nodes.put(node.id, node);
        return node;
    }

    /** Both nodes see each other join (a then b). */
    void connect(Node a, Node b) {
        a.turn(() -> a.engine.peerJoined(b.id));
        b.turn(() -> b.engine.peerJoined(a.id));
    }

    /** Both nodes see each other leave; what is in flight between them is lost. */
    void disconnect(Node a, Node b) {
        a.turn(() -> a.engine.peerLeft(b.id));
        b.turn(() -> b.engine.peerLeft(a.id));
        inFlight.removeIf(message -> message.from.equals(a.id) && message.to.equals(b.id)
                || message.from.equals(b.id) && message.to.equals(a.id));
    }

    /** Delivers one envelope now (also one taken off the wire earlier: a duplicate or a late one). */
    void deliver(Sent message) {
        Node target = nodes.get(message.to);
        target.turn(() -> target.engine.received(message.from, message.envelope));
    }

    /** Delivers everything in flight, oldest first, and all it causes, until the wire is quiet. */
    int deliverAll() {
        int delivered = 0;
        while (!inFlight.isEmpty()) {
            if (++delivered > MAX_DELIVERIES) {
                fail("the wire never went quiet after " + MAX_DELIVERIES + " deliveries; last in flight: "
                        + inFlight.subList(Math.max(0, inFlight.size() - 5), inFlight.size()));
            }
            deliver(inFlight.remove(0));
        }
        return delivered;
    }

    /** Removes the oldest envelope in flight that matches, as if the network lost it. */
    Sent take(Predicate<Sent> which) {
        for (int i = 0; i < inFlight.size(); i++) {
            if (which.test(inFlight.get(i))) {
                return inFlight.remove(i);
            }
        }
        throw new AssertionError("nothing in flight matches; in flight: " + inFlight);
    }

    Sent take(EnvelopeKind kind) {
        return take(message -> message.kind() == kind);
    }

    /** Loses everything in flight. */
    List<Sent> dropAll() {
        List<Sent> lost = new ArrayList<>(inFlight);
        inFlight.clear();
        return lost;
    }

    List<Sent> inFlight() {
        return List.copyOf(inFlight);
    }

    /** @return a mark for {@link #sentSince} */
    int mark() {
        return sent.size();
    }

    List<Sent> sentSince(int mark) {
        return List.copyOf(sent.subList(mark, sent.size()));
    }

    /** Every node's resync tick, each in a turn of its own (nothing is delivered). */
    void tick() {
        for (Node node : nodes.values()) {
            node.turn(node.engine::resync);
        }
    }

    /** Ticks and delivers until every document is the same, at most {@code ticks} times. */
    int settle(int ticks) {
        deliverAll();
        for (int tick = 1; tick <= ticks; tick++) {
            if (converged()) {
                return tick - 1;
            }
            tick();
            deliverAll();
        }
        assertConverged("after " + ticks + " ticks");
        return ticks;
    }

    boolean converged() {
        ObjectNode first = null;
        for (Node node : nodes.values()) {
            ObjectNode tree = node.document.tree();
            if (first == null) {
                first = tree;
            } else if (!first.equals(tree)) {
                return false;
            }
        }
        return true;
    }

    void assertConverged(String context) {
        Node first = nodes.values().iterator().next();
        for (Node node : nodes.values()) {
            assertEquals(first.document.tree(), node.document.tree(), context + ": " + node + " differs from " + first);
        }
    }

    @Override
    public void close() {
        for (Node node : nodes.values()) {
            node.engine.close();
            node.document.free();
        }
    }
}
