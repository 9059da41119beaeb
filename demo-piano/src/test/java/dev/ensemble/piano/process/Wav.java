package dev.ensemble.piano.process;

import java.io.IOException;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Loudness of a 16-bit little-endian PCM WAV file, per millisecond, relative to full scale. */
final class Wav {
    private Wav() {}

    static double[] rmsPerMillisecond(Path wav) throws IOException, UnsupportedAudioFileException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat format = in.getFormat();
            if (format.getSampleSizeInBits() != 16 || format.isBigEndian()) {
                throw new AssertionError("expected 16-bit little-endian samples in " + wav + ", found " + format);
            }
            byte[] bytes = in.readAllBytes();
            int channels = format.getChannels();
            int frameSize = format.getFrameSize();
            int framesPerMs = (int) (format.getFrameRate() / 1000);
            double[] rms = new double[bytes.length / frameSize / framesPerMs];
            for (int ms = 0; ms < rms.length; ms++) {
                double sum = 0;
                for (int f = ms * framesPerMs; f < (ms + 1) * framesPerMs; f++) {
                    for (int c = 0; c < channels; c++) {
                        int i = f * frameSize + c * 2;
                        double v = (short) ((bytes[i] & 0xFF) | (bytes[i + 1] << 8)) / 32768.0;
                        sum += v * v;
                    }
                }
                rms[ms] = Math.sqrt(sum / (framesPerMs * channels));
            }
            return rms;
        }
    }

    static double max(double[] rms, long fromMs, long toMs) {
        double max = 0;
        for (long i = Math.max(0, fromMs); i < Math.min(rms.length, toMs); i++) {
            max = Math.max(max, rms[(int) i]);
        }
        return max;
    }

    static double mean(double[] rms, long fromMs, long toMs) {
        double sum = 0;
        int n = 0;
        for (long i = Math.max(0, fromMs); i < Math.min(rms.length, toMs); i++) {
            sum += rms[(int) i];
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }
}
