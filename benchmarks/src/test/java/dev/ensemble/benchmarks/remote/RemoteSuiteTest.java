package dev.ensemble.benchmarks.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.benchmarks.collab.BenchmarkReport;
import dev.ensemble.testkit.net.NetNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteSuiteTest {

    /** WebRTC only inside netns-run's namespace, as every WebRTC test; the direct connection and the relay always. */
    @Test
    void everyConnectionAndArteryRunAtATinySizeAndEveryRatioIsPrinted() throws Exception {
        RemoteSettings tiny =
                new RemoteSettings(200, 1_000, 100, 50, 200, 1, RemoteSettings.ALL, Duration.ofMinutes(2));
        BenchmarkReport report = new BenchmarkReport(null);
        RemoteSettings runnable = RemoteSuite.runnable(tiny, report);
        long start = System.nanoTime();

        List<String> problems = new RemoteSuite(runnable, report).run();

        assertEquals(List.of(), problems);
        List<String> suffixes = new ArrayList<>(List.of("-vs-artery", "-relay-vs-artery"));
        if (NetNamespace.inside()) {
            suffixes.add("-webrtc-vs-artery");
        } else {
            assertTrue(report.lines().stream().anyMatch(line -> line.startsWith("# WebRTC not measured")), "says so");
        }
        for (String suffix : suffixes) {
            for (String what : List.of("remote-tell-throughput", "remote-ask-p50", "remote-ask-p99")) {
                double ratio = report.value("ratio", what + suffix)
                        .orElseThrow(() -> new AssertionError("no ratio " + what + suffix + " in " + report.lines()));
                assertTrue(ratio > 0 && Double.isFinite(ratio), what + suffix + " = " + ratio);
            }
        }
        assertTrue(
                report.value("result", "remote-tell-throughput-artery").orElseThrow() > 0,
                "Artery was measured in the same run");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(90).toNanos(), "the tiny suite took too long");
    }

    @Test
    void quickMeasuresEveryConnectionOnceAndTheFullRunThreeTimes() {
        RemoteSettings quick = RemoteSuite.parse(new String[] {"--quick"});
        assertEquals(RemoteSettings.ALL, quick.connections());
        assertEquals(1, quick.rounds());
        assertEquals(3, RemoteSuite.parse(new String[0]).rounds());
        assertEquals(
                List.of(Connection.DIRECT),
                RemoteSuite.parse(new String[] {"--only", "direct", "--rounds", "2"})
                        .connections());
    }

    @Test
    void rejectsAnUnknownArgumentOrConnectionNamingIt() {
        IllegalArgumentException argument =
                assertThrows(IllegalArgumentException.class, () -> RemoteSuite.parse(new String[] {"--fast"}));
        assertTrue(argument.getMessage().endsWith("but got '--fast'"), argument.getMessage());
        IllegalArgumentException connection = assertThrows(
                IllegalArgumentException.class, () -> RemoteSuite.parse(new String[] {"--only", "direct,carrier"}));
        assertEquals("no connection 'carrier' (artery, direct, relay, webrtc)", connection.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RemoteSuite.parse(new String[] {"--only", "artery"}));
    }

    @Test
    void refusesSettingsWhoseTellsDoNotFillAWindow() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> new RemoteSettings(0, 10, 100, 0, 1, 1, RemoteSettings.ALL, Duration.ofMinutes(1)));
        assertTrue(error.getMessage().startsWith("tells (10) must fill at least one window (100)"), error.getMessage());
    }
}
