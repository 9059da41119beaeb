package dev.ensemble.benchmarks.remote;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * The calls the remote suite makes on a {@link CounterTarget}, the same for every runtime.
 *
 * <ul>
 *   <li><b>Tell throughput</b>: tells of {@code add(1)} in windows of {@code window}, each window
 *       followed by an ask of the total that acknowledges it; the next window is sent while the
 *       previous one's ask is outstanding, never more (at most two windows unanswered, so that
 *       neither runtime's bounded outgoing queue overflows: Artery drops what does not fit, ensemble
 *       refuses it). The last answer must equal every tell sent, so a lost tell is a failure, not a
 *       faster run. Tells per second from the first tell to the last answer.</li>
 *   <li><b>Ask latency</b>: sequential asks of the total, each timed from the call to the reply on
 *       this side.</li>
 * </ul>
 */
final class Workload {
    /** What one runtime measured over one connection. */
    record Measured(double tellsPerSecond, Histogram askNanos, long refusedTells) {}

    private static final long ANSWER_TIMEOUT_SECONDS = 60;

    private final RemoteSettings settings;

    Workload(RemoteSettings settings) {
        this.settings = settings;
    }

    Measured measure(CounterTarget target) throws Exception {
        int base = answer(target.total());
        int expected = base;
        expected += tells(target, settings.warmupTells(), expected);
        asks(target, settings.warmupAsks());
        long start = System.nanoTime();
        expected += tells(target, settings.tells(), expected);
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram latencies = asks(target, settings.asks());
        int total = answer(target.total());
        if (total != expected) {
            throw new IllegalStateException(
                    "the counter is at " + total + " but " + (expected - base) + " tells of 1 were sent from " + base);
        }
        return new Measured(settings.tells() / seconds, latencies, target.refusedTells());
    }

    /** Sends {@code count} tells; returns {@code count} once the last is acknowledged. */
    private int tells(CounterTarget target, int count, int before) throws Exception {
        Deque<CompletableFuture<Integer>> unanswered = new ArrayDeque<>();
        int sent = 0;
        int last = before;
        while (sent < count) {
            int window = Math.min(settings.window(), count - sent);
            for (int i = 0; i < window; i++) {
                target.add(1);
            }
            sent += window;
            unanswered.add(target.total());
            if (unanswered.size() > 1) {
                last = answer(unanswered.poll());
            }
        }
        while (!unanswered.isEmpty()) {
            last = answer(unanswered.poll());
        }
        if (last != before + count) {
            throw new IllegalStateException("after " + count + " tells from " + before + " the counter answered " + last
                    + ": tells were lost or reordered");
        }
        return count;
    }

    private static Histogram asks(CounterTarget target, int count) throws Exception {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            answer(target.total());
            histogram.recordValue(System.nanoTime() - start);
        }
        return histogram;
    }

    private static int answer(CompletableFuture<Integer> reply)
            throws InterruptedException, ExecutionException, TimeoutException {
        return reply.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
