package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.peers.PeerEvents;
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
import java.util.Locale;
import java.util.Set;

/**
 * Benchmark 4: how long four peers take to hold identical documents after a healed partition on
 * a lossy network, counted in resync intervals of simulated time after the last edit.
 *
 * <p>Four peers on a {@link NetworkSimulator} (latency 5 to 40 ms, 5 % loss and 2 % duplication
 * per frame, 25 % loss between peer-0 and peer-3) each replay the first {@code editsPerPeer}
 * edits of the trace into their own text of one shared document ({@link Drafts}), in 100 steps
 * of 0.5 s (one batch per step, one Automerge change per edit). Peers 0 and 1 are cut off from 2
 * and 3 from step 30 to step 75; peer-3 goes offline at step 55 and returns at step 90. The
 * resync step of every peer runs every 2 s of simulated time (the default interval). After the
 * last edit, the network runs in slices of 0.1 s until all four documents are identical; the
 * result is that simulated time, and the number of resync steps that ran in it.
 * Everything runs on the benchmark's thread, so a run is decided by the seed.
 *
 * <p>Reports {@code result catch-up-intervals}, {@code result catch-up-seconds} (simulated) and
 * {@code result catch-up-bytes} (every frame handed to a transport after the last edit). Not
 * thread-safe.
 *
 * <pre>{@code
 * new CatchUpBenchmark(EditTrace.automergePaper(), 19_250, 1).run(new BenchmarkReport(System.out));
 * }</pre>
 */
public final class CatchUpBenchmark {
    /** Peers in the room. */
    public static final int PEERS = 4;
    /** The resync interval the benchmark simulates: the default. */
    public static final Duration RESYNC_INTERVAL = CollaborationSettings.DEFAULT_RESYNC_INTERVAL;
    /** Give up after this many resync intervals without convergence (the result is then this bound). */
    public static final int MAX_INTERVALS = 2_000;

    private static final int STEPS = 100;
    private static final Duration STEP = Duration.ofMillis(500);
    /** How often convergence is checked after the last edit. */
    private static final Duration SLICE = Duration.ofMillis(100);

    private static final int PARTITION_AT = 30;
    private static final int OFFLINE_AT = 55;
    private static final int HEAL_AT = 75;
    private static final int ONLINE_AT = 90;
    private static final Duration NEVER = Duration.ofHours(1);
    private static final ActorToken<PeerMessaging, Roster> PEERS_TOKEN = PeerMessaging.token("peers");
    private static final ActorToken<DraftsActions, Drafts> DRAFTS =
            ActorToken.of("drafts", DraftsActions.class, Drafts.class);

    private final EditTrace trace;
    private final int editsPerPeer;
    private final long seed;

    /**
     * @param trace the trace every peer replays a prefix of
     * @param editsPerPeer how many of its edits each peer replays, at least {@value #STEPS}
     * @param seed the simulator's seed
     */
    public CatchUpBenchmark(EditTrace trace, int editsPerPeer, long seed) {
        if (editsPerPeer < STEPS || editsPerPeer > trace.size()) {
            throw new IllegalArgumentException("editsPerPeer must be between " + STEPS + " and the trace's "
                    + trace.size() + " edits, was " + editsPerPeer);
        }
        this.trace = trace;
        this.editsPerPeer = editsPerPeer;
        this.seed = seed;
    }

    /**
     * Runs the scenario once and reports.
     *
     * @param report where the numbers go
     * @throws IllegalStateException if a peer's text is not the trace's text at the end
     */
    public void run(BenchmarkReport report) {
        String expected = trace.textAfter(editsPerPeer);
        LinkConditions lossy = conditions(0.05);
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(seed)
                .traceCapacity(0)
                .conditions(lossy)
                .build();
        PeerId worst = TestPeers.id("peer-0");
        PeerId other = TestPeers.id("peer-" + (PEERS - 1));
        network.setLinkConditions(worst, other, conditions(0.25));
        network.setLinkConditions(other, worst, conditions(0.25));
        List<ActorSystem> systems = new ArrayList<>();
        List<CountingTransport> transports = new ArrayList<>();
        List<ActorClient<DraftsActions, Drafts>> drafts = new ArrayList<>();
        long started = System.nanoTime();
        long[] peerErrors = new long[1];
        try {
            for (int i = 0; i < PEERS; i++) {
                CountingTransport transport = new CountingTransport(network.transportFor(TestPeers.id("peer-" + i)));
                ActorSystem system = peer("peer-" + i, transport);
                systems.add(system);
                transports.add(transport);
                system.client(PEERS_TOKEN)
                        .withCallbackExecutor(Runnable::run)
                        .onEvent(PeerEvents.ERROR, event -> peerErrors[0]++);
                drafts.add(system.client(DRAFTS));
            }
            network.runFor(STEP);
            Set<PeerId> left = Set.of(TestPeers.id("peer-0"), TestPeers.id("peer-1"));
            Set<PeerId> right = Set.of(TestPeers.id("peer-2"), other);
            long ticksEvery = RESYNC_INTERVAL.toNanos() / STEP.toNanos();
            Duration nextTick = network.now().plus(RESYNC_INTERVAL);
            int step = 0;
            while (true) {
                switch (step) {
                    case PARTITION_AT -> network.partition(left, right);
                    case OFFLINE_AT -> network.goOffline(other);
                    case HEAL_AT -> network.heal();
                    case ONLINE_AT -> network.goOnline(other);
                    default -> {}
                }
                int from = step * editsPerPeer / STEPS;
                int to = (step + 1) * editsPerPeer / STEPS;
                for (int i = 0; i < PEERS; i++) {
                    drafts.get(i).actions().replay(Drafts.FIELDS.get(i), trace, from, to);
                }
                if (++step == STEPS) {
                    break;
                }
                network.runFor(STEP);
                if (step % ticksEvery == 0) {
                    resync(drafts);
                    nextTick = network.now().plus(RESYNC_INTERVAL);
                }
            }
            Traffic whileEditing = total(transports);
            for (CountingTransport transport : transports) {
                transport.reset();
            }
            // From the last edit on, in slices of 100 ms, the resync step still every 2 s.
            Duration lastEdit = network.now();
            int intervals = 0;
            while (!converged(drafts) && intervals < MAX_INTERVALS) {
                network.runFor(SLICE);
                if (network.now().compareTo(nextTick) >= 0) {
                    resync(drafts);
                    intervals++;
                    nextTick = nextTick.plus(RESYNC_INTERVAL);
                }
            }
            double seconds = network.now().minus(lastEdit).toMillis() / 1000.0;
            for (int i = 0; i < PEERS; i++) {
                List<String> texts = drafts.get(i).actions().drafts().join().texts();
                for (int field = 0; field < PEERS; field++) {
                    TraceReplayBenchmark.checkText(
                            "peer-" + i + "'s copy of " + Drafts.FIELDS.get(field), texts.get(field), expected);
                }
            }
            long bytes = transports.stream()
                    .mapToLong(transport -> transport.tally().bytes())
                    .sum();
            report.note("catch-up: " + PEERS + " peers x " + editsPerPeer + " edits, seed " + seed + "; "
                    + network.stats() + "; " + (converged(drafts) ? "converged" : "NOT converged") + " in "
                    + String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9)
                    + " s of wall time");
            report.note("catch-up traffic while editing: " + whileEditing);
            report.note("catch-up traffic after the last edit: " + total(transports) + "; " + peerErrors[0]
                    + " frames or chunk streams dropped by the peers' messaging");
            report.result("catch-up-seconds", seconds, "s");
            report.result("catch-up-intervals", intervals, "intervals");
            report.result("catch-up-bytes", bytes, "bytes");
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

    /** A peer whose actors run on the calling thread with their timers off: the benchmark drives time. */
    private static ActorSystem peer(String name, CountingTransport transport) {
        ActorProps inline = ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread());
        return ActorSystem.builder(name)
                .askTimeout(Duration.ofMinutes(5))
                .add(
                        PEERS_TOKEN,
                        () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                .transport(transport)
                                .expiryCheck(NEVER)
                                .build()),
                        inline)
                .add(
                        DRAFTS,
                        () -> new DraftsActor(CollaborationSettings.builder("drafts", Drafts.class, Drafts.EMPTY)
                                .peers(PEERS_TOKEN)
                                .resyncInterval(NEVER)
                                .snapshotTimeout(NEVER)
                                .build()),
                        inline,
                        PEERS_TOKEN)
                .start();
    }

    private static Traffic total(List<CountingTransport> transports) {
        return transports.stream()
                .map(CountingTransport::tally)
                .reduce(Traffic::plus)
                .orElseThrow();
    }

    private static void resync(List<ActorClient<DraftsActions, Drafts>> drafts) {
        for (ActorClient<DraftsActions, Drafts> peer : drafts) {
            peer.actions().runResync();
        }
    }

    private static boolean converged(List<ActorClient<DraftsActions, Drafts>> drafts) {
        Drafts first = drafts.get(0).actions().drafts().join();
        for (ActorClient<DraftsActions, Drafts> peer : drafts) {
            if (!peer.actions().drafts().join().equals(first)) {
                return false;
            }
        }
        return true;
    }
}
