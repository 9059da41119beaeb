package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.collab.sim.SimulationSeeds;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Five peers edit one document concurrently over a lossy, duplicating, reordering network with a
 * partition that heals; all must end with identical documents. A failure names its seed; rerun
 * one seed with {@code -Densemble.sim.seed=<seed>}.
 */
class ConvergenceTest {
    static Stream<Long> seeds() {
        return SimulationSeeds.rangeOrProperty(1, 10);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fivePeersConvergeUnderLossDuplicationReorderingAndAPartition(long seed) {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(seed)
                .conditions(LinkConditions.builder()
                        .latency(Duration.ofMillis(1), Duration.ofMillis(40))
                        .lossRate(0.1)
                        .duplicationRate(0.05)
                        .build())
                .build();
        SplittableRandom random = new SplittableRandom(seed);
        try (SimRoom room = new SimRoom(network, 5, List.of("board"), UnaryOperator.identity())) {
            network.runFor(Duration.ofMillis(200));
            Set<PeerId> left = Set.of(TestPeers.id("peer-0"), TestPeers.id("peer-1"));
            Set<PeerId> right = room.peers.stream()
                    .map(p -> p.id)
                    .filter(id -> !left.contains(id))
                    .collect(Collectors.toSet());
            long expectedPlays = 0;
            long expectedNoteLength = 0;
            for (int step = 0; step < 300; step++) {
                if (step == 100) {
                    network.partition(left, right);
                } else if (step == 200) {
                    network.heal();
                }
                SimRoom.Peer peer = room.peers.get(random.nextInt(room.peers.size()));
                BoardActions board = peer.board().actions();
                switch (random.nextInt(5)) {
                    case 0 -> board.retitle("title by " + peer.id + " #" + step);
                    case 1 -> board.insertItem(random.nextInt(10), peer.id + ":" + step);
                    case 2 -> board.removeItem(random.nextInt(10));
                    case 3 -> {
                        long by = 1 + random.nextInt(5);
                        expectedPlays += by;
                        board.bump(by);
                    }
                    default -> {
                        String typed = "<" + step + ">";
                        expectedNoteLength += typed.length();
                        board.typeNote(random.nextInt(40), typed);
                    }
                }
                network.runFor(Duration.ofMillis(random.nextInt(20)));
            }
            room.settle(50);
            room.assertConverged("seed " + seed);
            assertEquals(
                    expectedPlays,
                    room.peers.get(0).board().state().plays(),
                    "seed " + seed + ": concurrent increments must add up");
            assertEquals(
                    expectedNoteLength,
                    room.peers.get(0).board().state().notes().length(),
                    "seed " + seed + ": notes are only ever inserted into, so every typed character must survive");
        }
    }
}
