package dev.ensemble.benchmarks.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSuiteTest {

    @Test
    void everyBenchmarkRunsAtATinySizeOnOneServerAndOnTwoNodesWithoutLosingAFrame() throws Exception {
        // A 2 s keep-alive period so that the single server's fan-out covers one in 3 s.
        RelaySettings tiny = new RelaySettings(
                64,
                200,
                600,
                3,
                16,
                10,
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(90),
                RelaySettings.ALL,
                Duration.ofSeconds(2));
        ClusterSuite suite = new ClusterSuite(tiny);
        long start = System.nanoTime();

        List<String> problems = suite.run();

        assertEquals(List.of(), problems);
        Map<String, String> results = suite.results();
        for (String name : List.of(
                "ratio cluster-rtt-p50-vs-single",
                "ratio cluster-rtt-p99-vs-single",
                "ratio cluster-cpu-per-frame-vs-single")) {
            double ratio = Double.parseDouble(results.get(name.substring("ratio ".length())));
            assertTrue(ratio > 0, name + " is positive: " + ratio);
        }
        assertEquals("0 frames", results.get("single-fanout-undelivered"));
        assertEquals("0 frames", results.get("cluster-fanout-undelivered"));
        // 16 clients, 3 mates each, 10 rounds/s: 480 frames/s over the 3 s covering the period.
        long recorded = Long.parseLong(results.get("single-fanout-recorded").split(" ")[0]);
        assertTrue(recorded > 480 * 2, "the single server's fan-out covers the keep-alive period: " + recorded);
        assertTrue(
                results.containsKey("fanout-p99-keepalive-2s-ms"),
                results.keySet().toString());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(60).toNanos(), "the tiny suite took too long");
    }

    @Test
    void theSingleServersFanOutCoversAWholeKeepAlivePeriodEvenWhenQuick() {
        RelaySettings quick = ClusterSuite.parse(new String[] {"--quick"});

        assertEquals(Duration.ofSeconds(31), new ClusterSuite(quick).keepAliveCoveringRun());
        assertEquals("fanout-p99-keepalive-30s-ms", new ClusterSuite(quick).keepAliveResultName());
        assertEquals(1_500, quick.fanoutFramesPerSecond(), 1e-9);
    }

    @Test
    void rejectsAnUnknownArgumentNamingIt() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> ClusterSuite.parse(new String[] {"--only", "rtt"}));
        assertTrue(error.getMessage().contains("'--only'"), error.getMessage());
    }
}
