package dev.ensemble.benchmarks.piano;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.net.NetNamespace;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PianoSuiteTest {
    /** 5 warm-up and 10 measured notes a player: 40 measured notes, 120 receipts, 0.75 s of playing. */
    private static PianoSettings tiny(NotePath path) {
        return new PianoSettings(5, 10, List.of(path), Duration.ofSeconds(30));
    }

    @Test
    void overTheRelayEveryMeasuredNoteReachesEveryOtherPlayerAndTheDocumentStaysPut() throws Exception {
        PianoReport report = new PianoReport(null);

        List<String> problems = new PianoSuite(tiny(NotePath.RELAY), report).run();

        assertEquals(List.of(), problems);
        assertEquals(120.0, report.result("piano-notes-received-ours"));
        assertEquals(120.0, report.result("piano-notes-received-raw"));
        for (String name :
                List.of("piano-latency-p50-ms-ours", "piano-latency-p99-ms-ours", "piano-latency-p50-ms-raw")) {
            assertTrue(report.result(name) > 0, name + " is positive: " + report.result(name));
        }
        assertEquals(0.0, report.result("piano-doc-changes"));
        assertNotNull(report.ratio("piano-latency-p99-lower-better"));
        assertNotNull(report.target("relay-note-latency-p99"));
        assertEquals(true, report.target("doc-growth-per-40-notes"));
        assertEquals(null, report.result("piano-webrtc-notes-received-ours"), "nothing measured over WebRTC");
    }

    @Test
    void withSessionsEveryNoteArrivesAndTheRatioToTheClearRelayIsPrinted() throws Exception {
        PianoReport report = new PianoReport(null);

        List<String> problems = new PianoSuite(tiny(NotePath.SEALED), report).run();

        assertEquals(List.of(), problems);
        assertEquals(120.0, report.result("piano-sealed-notes-received"));
        assertTrue(report.result("piano-sealed-latency-p99-ms") > 0);
        assertTrue(report.result("piano-sealed-latency-p99-ms-clear") > 0);
        assertTrue(report.ratio("piano-sealed-latency-p99-vs-clear") > 0);
        assertNotNull(report.target("sealed-note-latency-p99-vs-clear"));
        assertEquals(0.0, report.result("piano-sealed-doc-changes"));
        assertNotNull(report.result("piano-sealed-gc-collections"), "the collections while each room played");
        assertNotNull(report.result("piano-sealed-gc-collections-clear"));
    }

    @Test
    void theSealedComparisonPlaysAnEvenNumberOfRoundsOfAboutTwoHundredFiftyNotes() {
        assertEquals(
                10,
                PianoSuite.sealedRounds(
                        PianoSettings.full(List.of(NotePath.SEALED)).measuredNotesPerPlayer()));
        assertEquals(
                4,
                PianoSuite.sealedRounds(
                        PianoSettings.quick(List.of(NotePath.SEALED)).measuredNotesPerPlayer()));
        assertEquals(12, PianoSuite.sealedRounds(2_750), "eleven rounds' worth is rounded up to an even twelve");
        assertEquals(4, PianoSuite.sealedRounds(10), "at least four");
        assertEquals(3, PianoSuite.sealedRounds(3), "never more rounds than notes");
    }

    @Test
    void overWebRtcEveryPlayerListsEveryOtherOverWebRtcAndNoNoteTakesTheRelay() throws Exception {
        Assumptions.assumeTrue(
                NetNamespace.inside(),
                "WebRTC needs a non-loopback interface: runs only inside netns-run (see docs/BENCHMARKS.md)");
        PianoReport report = new PianoReport(null);

        List<String> problems = new PianoSuite(tiny(NotePath.WEBRTC), report).run();

        assertEquals(List.of(), problems);
        assertEquals(120.0, report.result("piano-webrtc-notes-received-ours"));
        assertEquals(120.0, report.result("piano-webrtc-notes-received-raw"));
        assertEquals(0.0, report.result("piano-webrtc-ephemeral-over-relay"));
        assertEquals(0.0, report.result("piano-webrtc-doc-changes"));
        assertNotNull(report.target("piano-webrtc-p50"));
        assertNotNull(report.target("piano-webrtc-p99"));
        assertEquals(true, report.target("webrtc-doc-growth-per-40-notes"));
    }

    @Test
    void measuresBothPathsByDefaultAndOneWhenAsked() {
        assertEquals(
                List.of(NotePath.RELAY, NotePath.SEALED, NotePath.WEBRTC),
                PianoSuite.parse(new String[0]).paths());
        assertEquals(
                List.of(NotePath.SEALED),
                PianoSuite.parse(new String[] {"--transport", "sealed"}).paths());
        assertEquals(
                List.of(NotePath.RELAY),
                PianoSuite.parse(new String[] {"--transport", "relay"}).paths());
        assertEquals(
                List.of(NotePath.WEBRTC),
                PianoSuite.parse(new String[] {"--quick", "--transport", "webrtc"})
                        .paths());
        assertEquals(250, PianoSuite.parse(new String[] {"--quick"}).measuredNotesPerPlayer());
        assertEquals(2_500, PianoSuite.parse(new String[0]).measuredNotesPerPlayer());
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        assertEquals(
                "usage: PianoSuite [--quick] [--transport webrtc|relay|sealed|both], but got '--fast'",
                assertThrows(IllegalArgumentException.class, () -> PianoSuite.parse(new String[] {"--fast"}))
                        .getMessage());
        assertEquals(
                "unknown transport 'carrier-pigeon' (expected webrtc, relay, sealed or both)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> PianoSuite.parse(new String[] {"--transport", "carrier-pigeon"}))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PianoSuite.parse(new String[] {"--transport"}))
                .getMessage()
                .endsWith("without a value"));
    }
}
