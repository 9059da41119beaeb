package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
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
import java.util.function.UnaryOperator;

/**
 * N peers on a {@link NetworkSimulator}, each an actor system with a messaging actor and board
 * actors. Every actor runs on the calling thread and periodic timers are effectively off, so a
 * run is decided by the seed and the test's own sequence of calls.
 */
final class SimRoom implements AutoCloseable {
    static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    static final Duration NEVER = Duration.ofHours(1);

    final NetworkSimulator network;
    final List<Peer> peers = new ArrayList<>();

    /** One peer: its system and its clients. */
    static final class Peer {
        final PeerId id;
        final ActorSystem system;
        final List<ActorClient<BoardActions, Board>> boards = new ArrayList<>();

        Peer(PeerId id, ActorSystem system) {
            this.id = id;
            this.system = system;
        }

        ActorClient<BoardActions, Board> board() {
            return boards.get(0);
        }
    }

    SimRoom(
            NetworkSimulator network,
            int peerCount,
            List<String> documentIds,
            UnaryOperator<CollaborationSettings.Builder<Board>> tune) {
        this.network = network;
        ActorProps inline = ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread());
        for (int i = 0; i < peerCount; i++) {
            PeerId id = TestPeers.id("peer-" + i);
            ActorSystem.Builder builder = ActorSystem.builder("peer-" + i)
                    .add(
                            PEERS,
                            () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                    .transport(network.transportFor(id))
                                    .expiryCheck(NEVER)
                                    .build()),
                            inline);
            List<ActorToken<BoardActions, Board>> tokens = new ArrayList<>();
            for (String documentId : documentIds) {
                ActorToken<BoardActions, Board> token =
                        ActorToken.of("board-" + documentId, BoardActions.class, Board.class);
                tokens.add(token);
                CollaborationSettings<Board> settings = tune.apply(BoardActor.settings(documentId)
                                .peers(PEERS)
                                .resyncInterval(NEVER)
                                .snapshotTimeout(NEVER))
                        .build();
                builder.add(token, () -> new BoardActor(settings), inline, PEERS);
            }
            Peer peer = new Peer(id, builder.start());
            for (ActorToken<BoardActions, Board> token : tokens) {
                peer.boards.add(peer.system.client(token));
            }
            peers.add(peer);
        }
    }

    /** Delivers everything in flight, then lets every board retry sync, until nothing moves. */
    void settle(int rounds) {
        for (int round = 0; round < rounds; round++) {
            network.runUntilQuiet(5_000_000);
            if (converged()) {
                return;
            }
            for (Peer peer : peers) {
                for (ActorClient<BoardActions, Board> board : peer.boards) {
                    board.actions().resyncNow();
                }
            }
        }
        network.runUntilQuiet(5_000_000);
    }

    boolean converged() {
        for (int doc = 0; doc < peers.get(0).boards.size(); doc++) {
            ObjectNode first = tree(peers.get(0), doc);
            for (Peer peer : peers) {
                if (!tree(peer, doc).equals(first)) {
                    return false;
                }
            }
        }
        return true;
    }

    static ObjectNode tree(Peer peer, int doc) {
        return peer.boards.get(doc).actions().tree().join();
    }

    void assertConverged(String context) {
        for (int doc = 0; doc < peers.get(0).boards.size(); doc++) {
            ObjectNode first = tree(peers.get(0), doc);
            for (Peer peer : peers) {
                assertEquals(
                        first, tree(peer, doc), context + ": " + peer.id + " differs from peer-0 on document " + doc);
                assertEquals(
                        peers.get(0).boards.get(doc).state(),
                        peer.boards.get(doc).state(),
                        context + ": views of " + peer.id);
            }
        }
    }

    @Override
    public void close() {
        for (Peer peer : peers) {
            peer.system.close();
        }
    }
}
