package dev.ensemble.benchmarks.collab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.collab.wire.Chunker;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeCodec;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.TransportListener;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collaboration benchmarks at a tiny size, so that the harness itself is checked in every
 * build: each benchmark must reach the trace's text on every side and report its lines.
 */
class CollabSuiteTest {
    private static final Pattern LINE =
            Pattern.compile("(# .*|ratio [a-z0-9-]+ -?[0-9.]+|result [a-z0-9-]+ -?[0-9.]+ [a-z]+)");

    private static EditTrace trace;

    @BeforeAll
    static void loadTrace() {
        trace = EditTrace.automergePaper();
    }

    @Test
    void theBundledTraceIsTheAutomergePaperTrace() {
        assertEquals(259_778, trace.size());
        assertEquals(104_852, trace.endContent().length());
        assertEquals(trace.textAfter(3), trace.textAfter(3).substring(0, 3));
    }

    @Test
    void everyBenchmarkReachesTheTraceTextAndReportsItsLines() {
        BenchmarkReport report = new BenchmarkReport(null);
        CollabSuite.run(trace, new CollabSuite.Sizes(1_500, 1, 1_500, 1, 500, 60, 400, 1_500, 1, 60), report);

        for (String line : report.lines()) {
            assertTrue(LINE.matcher(line).matches(), "not a ratio, result or comment line: " + line);
        }
        for (String ratio : new String[] {
            "trace-replay",
            "cold-join-bytes",
            "cold-join-time",
            "bytes-per-keystroke",
            "edit-stream-2-peers",
            "remote-keystroke-100k",
            "native-patches-vs-apply",
            "native-lookup-vs-apply",
            "native-heads-vs-apply"
        }) {
            double value = report.value("ratio", ratio).orElseThrow(() -> new AssertionError("no ratio " + ratio));
            assertTrue(value > 0 && Double.isFinite(value), ratio + " = " + value);
        }
        double ours = report.value("result", "cold-join-bytes-ours").orElseThrow();
        double naive = report.value("result", "cold-join-bytes-naive").orElseThrow();
        assertTrue(
                ours > 1_000 && ours < naive,
                "a snapshot must beat the change-by-change history: " + ours + " vs " + naive);
        double perKeystroke = report.value("result", "bytes-per-keystroke").orElseThrow();
        assertTrue(perKeystroke > 20 && perKeystroke < 2_000, "bytes per keystroke: " + perKeystroke);
        double sealed = report.value("result", "bytes-per-keystroke-sealed").orElseThrow();
        assertTrue(
                sealed >= perKeystroke + dev.ensemble.transport.secure.SecureTransport.OVERHEAD_BYTES,
                "every keystroke is at least one sealed frame: " + sealed + " vs " + perKeystroke);
        assertTrue(report.value("ratio", "bytes-per-keystroke-sealed").isPresent());
        double intervals = report.value("result", "catch-up-intervals").orElseThrow();
        assertTrue(
                intervals < CatchUpBenchmark.MAX_INTERVALS,
                "the four peers of the catch-up must converge: " + intervals + " intervals");
        assertTrue(report.value("result", "catch-up-seconds").isPresent());
    }

    @Test
    void theCountingTransportCountsAcceptedFramesByKindAndNotRejectedOnes() {
        NetworkSimulator network = NetworkSimulator.builder().seed(7).build();
        CountingTransport alice = new CountingTransport(network.transportFor(TestPeers.id("alice")));
        CountingTransport bob = new CountingTransport(network.transportFor(TestPeers.id("bob")));
        alice.start(TransportListener.NONE);
        bob.start(TransportListener.NONE);
        byte[] frame = EnvelopeCodec.encode(Envelope.sync("doc", new byte[] {1, 2, 3}));
        assertTrue(!alice.send(TestPeers.id("bob"), frame), "not connected yet: the send must be refused");
        network.runUntilQuiet(100);
        assertTrue(alice.send(TestPeers.id("bob"), frame));

        Traffic traffic = alice.tally();
        assertEquals(1, traffic.frames());
        assertEquals(frame.length, traffic.bytes());
        assertEquals(1, traffic.byKind().get("sync").frames());
        assertEquals(1, traffic.rejected());
        alice.reset();
        assertEquals(0, alice.tally().bytes());
    }

    @Test
    void chunksAreCountedUnderTheKindOfTheEnvelopeTheyCarry() {
        NetworkSimulator network =
                NetworkSimulator.builder().seed(7).maxMessageSize(1024).build();
        CountingTransport alice = new CountingTransport(network.transportFor(TestPeers.id("alice")));
        CountingTransport bob = new CountingTransport(network.transportFor(TestPeers.id("bob")));
        alice.start(TransportListener.NONE);
        bob.start(TransportListener.NONE);
        network.runUntilQuiet(100);
        List<byte[]> frames = new Chunker(1024).split(Envelope.sync("doc", new byte[5_000]));
        for (byte[] frame : frames) {
            assertTrue(alice.send(TestPeers.id("bob"), frame));
        }

        Traffic.Kind chunks = alice.tally().byKind().get("chunk:sync");
        assertEquals(frames.size(), chunks.frames(), "tally: " + alice.tally());
        assertEquals(frames.stream().mapToLong(frame -> frame.length).sum(), chunks.bytes());
    }

    @Test
    void aTraceReplayInManyTurnsEndsAtTheTextOnBothSides() {
        BenchmarkReport report = new BenchmarkReport(null);
        // 1,500 edits in turns of 400: three full turns each side and a short last one, whose
        // end reads the text; a side that lost or repeated a turn would fail the text check.
        new TraceReplayBenchmark(trace, 1_500, 2, 400).run(report);
        assertEquals(1_500, report.value("result", "trace-replay-edits").orElseThrow());
        double ratio = report.value("ratio", "trace-replay").orElseThrow();
        assertTrue(ratio > 0 && Double.isFinite(ratio), "trace-replay = " + ratio);
    }

    @Test
    void aPrefixLongerThanTheTraceIsRefusedWithItsLength() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> new KeystrokeBenchmark(trace, trace.size(), 10));
        assertTrue(error.getMessage().contains(String.valueOf(trace.size())), error.getMessage());
    }
}
