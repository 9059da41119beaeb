package dev.ensemble.benchmarks.piano;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one measurement of the notes found. Thread-safe once returned: nobody writes the histogram
 * any more.
 *
 * @param latency one-way latencies of the measured note-ons, in nanoseconds, one per receiving player
 * @param documentChanges players whose settings document's heads moved while the notes were played
 * @param documentBytes bytes of the settings document's sync and snapshot envelopes sent meanwhile
 * @param ephemeralOverRelay ephemeral envelopes (notes, presence) that went over the relay while the
 *     notes were played, when the relay was only the fallback; 0 otherwise
 * @param problems why the numbers cannot be trusted (a channel that did not open, a fallback to
 *     the relay, ...); empty when all went as intended
 * @param gc the JVM's collections while the notes were played
 */
record Measurement(
        Histogram latency,
        long documentChanges,
        long documentBytes,
        long ephemeralOverRelay,
        List<String> problems,
        GcActivity gc) {

    Measurement {
        problems = List.copyOf(problems);
    }

    /** @return a measurement that could not run, for the reason given */
    static Measurement failed(String problem) {
        return new Measurement(new Histogram(3), 0, 0, 0, List.of(problem), GcActivity.NONE);
    }

    /** @return both measurements as one: the latencies of both, the counts summed, the problems of both */
    Measurement plus(Measurement other) {
        Histogram both = latency.copy();
        both.add(other.latency);
        List<String> all = new ArrayList<>(problems);
        all.addAll(other.problems);
        return new Measurement(
                both,
                documentChanges + other.documentChanges,
                documentBytes + other.documentBytes,
                ephemeralOverRelay + other.ephemeralOverRelay,
                all,
                gc.plus(other.gc));
    }

    /** @return the given percentile of the latency, in milliseconds */
    double ms(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1e6;
    }
}
