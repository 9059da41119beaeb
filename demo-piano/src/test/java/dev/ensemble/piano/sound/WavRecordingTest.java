package dev.ensemble.piano.sound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.piano.PianoFixture;
import dev.ensemble.piano.PianoFixture.Member;
import dev.ensemble.piano.bot.BotActions;
import dev.ensemble.piano.bot.BotPlayer;
import dev.ensemble.piano.bot.BotState;
import dev.ensemble.piano.bot.Melody;
import dev.ensemble.piano.bot.MelodyNote;
import dev.ensemble.piano.session.PianoSession;
import dev.ensemble.testkit.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorded WAV has sound where the bot's notes were heard and silence elsewhere. */
class WavRecordingTest {
    private static final double LOUD = 0.01;
    private static final double SILENT = 0.001;

    @TempDir
    Path dir;

    @Test
    void theRendererIsAvailableWithTheExportedPackage() {
        assertEquals(Optional.empty(), WavRenderer.unavailableReason());
    }

    @Test
    void aRecordedWavSoundsAtThePlayedNotesAndIsSilentElsewhere() throws Exception {
        Melody twoNotes = Melody.of(
                "gaps",
                List.of(
                        new MelodyNote(Duration.ofMillis(300), Duration.ofMillis(250), 60, 110),
                        new MelodyNote(Duration.ofMillis(2800), Duration.ofMillis(250), 67, 110)));
        MidiRecording recording;
        try (PianoFixture fixture = new PianoFixture()) {
            Member alice = fixture.join("alice");
            ActorClient<BotActions, BotState> bot = fixture.system()
                    .spawn(
                            BotPlayer.token("alice"),
                            () -> new BotPlayer(twoNotes, PianoSession.token("alice"), false),
                            ActorProps.defaults(),
                            PianoSession.token("alice"));
            bot.actions().start();
            Await.until("the bot finishes", () -> bot.state().finished());
            Await.until("nothing is held", () -> alice.piano().state().litKeys().isEmpty());
            recording = alice.recording();
        }
        Path wav = dir.resolve("heard.wav");

        WavRenderer.render(recording, wav);

        double[] rms = rmsPerMillisecond(wav);
        List<TimedMidi> ons = recording.noteOns();
        assertEquals(2, ons.size());
        long first = ons.get(0).micros() / 1000;
        long second = ons.get(1).micros() / 1000;
        assertTrue(second - first >= 2300, "the notes were heard 2.5 s apart, not " + (second - first) + " ms");
        assertTrue(first >= 100, "the first note comes after a silent start, at " + first + " ms");

        assertTrue(max(rms, 0, first - 10) < SILENT, "silent before the first note: " + max(rms, 0, first - 10));
        assertTrue(
                mean(rms, first + 10, first + 200) > LOUD,
                "sound at the first note: " + mean(rms, first + 10, first + 200));
        // The piano's release and the synthesizer's reverb fade below -60 dB within 1.7 s.
        assertTrue(
                max(rms, first + 1700, second - 10) < SILENT,
                "silent between the notes: " + max(rms, first + 1700, second - 10) + "; profile "
                        + profile(rms, first));
        assertTrue(
                mean(rms, second + 10, second + 200) > LOUD,
                "sound at the second note: " + mean(rms, second + 10, second + 200));
        assertTrue(rms.length >= second + 1000, "the file rings out after the last note");
    }

    /** Root mean square of both channels over each millisecond, relative to full scale. */
    private static double[] rmsPerMillisecond(Path wav) throws IOException, UnsupportedAudioFileException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            assertEquals(WavRenderer.FORMAT.getSampleRate(), in.getFormat().getSampleRate());
            byte[] bytes = in.readAllBytes();
            int frameSize = in.getFormat().getFrameSize();
            int framesPerMs = (int) (in.getFormat().getFrameRate() / 1000);
            int frames = bytes.length / frameSize;
            double[] rms = new double[frames / framesPerMs];
            for (int ms = 0; ms < rms.length; ms++) {
                double sum = 0;
                int count = 0;
                for (int f = ms * framesPerMs; f < (ms + 1) * framesPerMs; f++) {
                    for (int c = 0; c < 2; c++) {
                        int i = f * frameSize + c * 2;
                        short sample = (short) ((bytes[i] & 0xFF) | (bytes[i + 1] << 8));
                        double v = sample / 32768.0;
                        sum += v * v;
                        count++;
                    }
                }
                rms[ms] = Math.sqrt(sum / count);
            }
            return rms;
        }
    }

    private static String profile(double[] rms, long fromMs) {
        StringBuilder text = new StringBuilder();
        for (long ms = fromMs; ms < rms.length; ms += 100) {
            text.append(String.format("%d:%.4f ", ms - fromMs, mean(rms, ms, ms + 100)));
        }
        return text.toString();
    }

    private static double max(double[] rms, long fromMs, long toMs) {
        double max = 0;
        for (long i = Math.max(0, fromMs); i < Math.min(rms.length, toMs); i++) {
            max = Math.max(max, rms[(int) i]);
        }
        return max;
    }

    private static double mean(double[] rms, long fromMs, long toMs) {
        double sum = 0;
        int n = 0;
        for (long i = Math.max(0, fromMs); i < Math.min(rms.length, toMs); i++) {
            sum += rms[(int) i];
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }
}
