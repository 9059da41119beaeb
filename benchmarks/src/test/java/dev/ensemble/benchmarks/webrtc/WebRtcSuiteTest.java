package dev.ensemble.benchmarks.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.net.NetNamespace;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class WebRtcSuiteTest {

    @Test
    void everyBenchmarkRunsAtATinySizeOverBothTransportsWithoutAProblem() throws Exception {
        Assumptions.assumeTrue(
                NetNamespace.inside(),
                "WebRTC needs a non-loopback interface: runs only inside netns-run (see docs/BENCHMARKS.md)");
        WebRtcSettings tiny = new WebRtcSettings(
                64, 100, 400, 2, 0, 2, List.of(16 * 1024, 64 * 1024), 1 << 20, 2, Duration.ofSeconds(60));
        Report report = new Report(null);
        long start = System.nanoTime();

        List<String> problems = new WebRtcSuite(tiny, report).run();

        assertEquals(List.of(), problems);
        for (String name : List.of(
                "webrtc-rtt-p50",
                "webrtc-rtt-p999",
                "ws-relay-rtt-p50",
                "ws-relay-rtt-p999",
                "webrtc-throughput-16k",
                "ws-relay-throughput-64k",
                "webrtc-open-p95",
                "room-join-p50")) {
            assertNotNull(report.result(name), name + " reported");
            assertTrue(report.result(name) > 0, name + " is positive: " + report.result(name));
        }
        assertTrue(
                report.result("webrtc-open-p50") >= report.result("webrtc-open-after-join-p50"),
                "the open time includes the time after the join");
        assertNotNull(report.ratio("webrtc-rtt-p99"));
        assertNotNull(report.ratio("webrtc-throughput-64k"));
        assertEquals(3, report.targets().size(), report.targets().toString());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "the tiny suite took too long");
    }

    @Test
    void rejectsAnUnknownArgumentNamingIt() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> WebRtcSuite.parse(new String[] {"--fast"}));
        assertEquals("usage: WebRtcSuite [--quick], but got '--fast'", error.getMessage());
    }

    @Test
    void rejectsStreamMessagesAboveWhatTheTransportsTake() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> new WebRtcSettings(64, 10, 10, 1, 0, 1, List.of(256 * 1024), 1 << 20, 1, Duration.ofSeconds(1)));
        assertTrue(error.getMessage().endsWith("but one is 262144"), error.getMessage());
    }
}
