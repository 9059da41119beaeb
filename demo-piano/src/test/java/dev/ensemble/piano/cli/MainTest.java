package dev.ensemble.piano.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.piano.bot.MidiFileMelodyTest;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the program through {@link Main#run}, in this JVM, as a user would from the shell. */
class MainTest {
    @TempDir
    Path dir;

    /** What a run printed. */
    record Run(int code, List<String> out, String err) {
        JsonNode summary() throws Exception {
            List<String> lines =
                    out.stream().filter(l -> l.startsWith(SummaryLine.PREFIX)).toList();
            assertEquals(1, lines.size(), "exactly one SUMMARY line in " + out);
            assertTrue(out.get(out.size() - 1).startsWith(SummaryLine.PREFIX), "SUMMARY is the last line");
            return new ObjectMapper().readTree(lines.get(0).substring(SummaryLine.PREFIX.length()));
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                code, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void threeBotsInProcessForTwoSecondsPrintAValidSummary() throws Exception {
        Run run = run("--headless", "--in-process", "--bots", "3", "--seconds", "2", "--name", "Ada");

        assertEquals(0, run.code(), run.err());
        JsonNode summary = run.summary();
        JsonNode self = summary.get("self");
        assertEquals("bot-1", self.get("peerId").asText());
        assertEquals("Ada", self.get("name").asText());
        long sent = self.get("notesSent").asLong();
        assertTrue(sent >= 4, "the built-in melody plays a note every 400 ms, sent " + sent);
        JsonNode peers = summary.get("peers");
        assertEquals(2, peers.size());
        long received = 0;
        for (JsonNode peer : peers) {
            assertTrue(peer.get("peerId").asText().startsWith("bot-"));
            assertEquals("LOCAL", peer.get("transport").asText());
            assertTrue(peer.get("notesReceived").asLong() >= 4, peer.toString());
            double p50 = peer.get("latencyP50Ms").asDouble();
            double p99 = peer.get("latencyP99Ms").asDouble();
            assertTrue(p50 >= 10 && p99 >= p50, "simulated distances are 5 ms per bot: " + peer);
            received += peer.get("notesReceived").asLong();
        }
        assertEquals(sent + received, self.get("notesHeard").asLong(), "heard = own notes + every received note");
    }

    @Test
    void oneBotPlaysAMidiFileToItsEndWithoutATimeLimitAndRecordsIt() throws Exception {
        Path song = MidiFileMelodyTest.writeSong(dir.resolve("song.mid"));
        Path wav = dir.resolve("solo.wav");
        Run run = run("--headless", "--bot", song.toString(), "--record", wav.toString(), "--instrument", "organ");

        assertEquals(0, run.code(), run.err());
        assertEquals(3, run.summary().get("self").get("notesSent").asLong());
        assertEquals(3, run.summary().get("self").get("notesHeard").asLong());
        assertEquals(0, run.summary().get("peers").size());
        assertTrue(
                run.out().stream().anyMatch(l -> l.startsWith("recorded 3 notes (") && l.endsWith(") to " + wav)),
                run.out().toString());
        assertTrue(Files.size(wav) > 44_100 * 4 * 2, "the two-second song and its ring-out");
    }

    @Test
    void aBadMidiFileIsExplainedAndTheBuiltInMelodyPlaysInstead() throws Exception {
        Path bad = Files.writeString(dir.resolve("broken.mid"), "MThd but not really");
        Run run = run("--headless", "--bot", bad.toString(), "--seconds", "0.5");

        assertEquals(0, run.code());
        assertTrue(run.err().contains("error: cannot read " + bad + ": not a valid Standard MIDI File"), run.err());
        assertTrue(run.err().contains("playing the built-in melody instead"), run.err());
        assertTrue(run.summary().get("self").get("notesSent").asLong() >= 1);
    }

    @Test
    void withoutAnAudioDeviceItPlaysSilentlyAndSaysSo() throws Exception {
        Run run = run("--headless", "--bot", "--seconds", "0.3");

        assertEquals(0, run.code());
        boolean silent = run.err().contains("sound: silent: no audio device");
        boolean audible = run.out().stream().anyMatch(l -> l.startsWith("sound: ") && l.contains("audio device"));
        assertTrue(silent || audible, "the sound line says where sound goes: " + run.err() + run.out());
    }

    @Test
    void anUnknownOptionPrintsTheErrorAndUsage() {
        Run run = run("--headless", "--loud");

        assertEquals(2, run.code());
        assertTrue(
                run.err().startsWith("error: unknown option \"--loud\"" + System.lineSeparator() + "usage: "),
                run.err());
        assertTrue(run.out().isEmpty());
    }

    @Test
    void helpPrintsUsage() {
        Run run = run("--help");
        assertEquals(0, run.code());
        assertTrue(run.out().get(0).startsWith("usage: "));
    }

    @Test
    void withoutADisplayTheWindowModeSuggestsHeadless() {
        Run run = run();

        assertEquals(1, run.code(), "tests run with java.awt.headless=true");
        assertEquals(
                "error: no display to open the piano window on. Run with --headless (for example:"
                        + " --headless --bot melody --seconds 10)." + System.lineSeparator(),
                run.err());
    }

    @Test
    void aListenerStoppedByTheSystemStillPrintsItsSummary() throws Exception {
        try (ChildProcess ear = ChildProcess.builder(JavaCommand.of(Main.class)
                        .jvmOptions("-Djava.awt.headless=true")
                        .args("--headless", "--name", "Ear"))
                .start(dir, "ear")) {
            // SIGTERM, as Ctrl-C or a closing terminal, at the first line it prints (the sound line,
            // before "playing in"): the summary is due however early it comes.
            Await.until(
                    "Ear's first line",
                    () -> !ear.stdout().isEmpty() || !ear.stderr().isEmpty(),
                    ear::describe);
            ear.terminate();

            assertTrue(
                    ear.stdout()
                            .contains("SUMMARY {\"self\":{\"peerId\":\"player-1\",\"name\":\"Ear\",\"notesSent\":0,"
                                    + "\"notesHeard\":0},\"peers\":[]}"),
                    ear.describe());
        }
    }

    @Test
    void anUnreachableDisplayIsExplainedInsteadOfACrash() throws Exception {
        try (ChildProcess window = ChildProcess.builder(JavaCommand.of(Main.class))
                .environment("DISPLAY", ":737")
                .start(dir, "window")) {
            int exitCode = window.awaitExit();

            assertEquals(1, exitCode, window.describe());
            assertEquals("", window.stdoutText(), window.describe());
            String text = window.stderrText();
            assertTrue(text.startsWith("error: cannot reach the display to open the piano window on ("), text);
            assertTrue(text.contains("Run with --headless"), text);
        }
    }

    @Test
    void withoutTheExportedSynthesizerPackageRecordingDegradesWithAClearMessage() throws Exception {
        Path wav = dir.resolve("never.wav");
        try (ChildProcess run = ChildProcess.builder(JavaCommand.of(Main.class)
                        .jvmOptions("-Djava.awt.headless=true")
                        .args("--headless", "--bot", "--seconds", "0.3", "--record", wav.toString()))
                .start(dir, "run")) {
            int exitCode = run.awaitExit();

            assertEquals(0, exitCode, run.describe());
            assertTrue(
                    run.stderrText()
                            .contains("warning: rendering a WAV file needs access to com.sun.media.sound: run the"
                                    + " executable jar, or add the JVM option --add-exports"
                                    + " java.desktop/com.sun.media.sound=ALL-UNNAMED; the run continues without"
                                    + " recording"),
                    run.describe());
            assertTrue(run.stdoutText().contains(SummaryLine.PREFIX), run.describe());
            assertFalse(Files.exists(wav));
        }
    }
}
