package dev.ensemble.benchmarks.piano;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Presses the players' keys: every player once each {@link PianoSettings#NOTE_INTERVAL}, the
 * players spread evenly over it, until each has played its notes. The presses run on one
 * scheduler thread; {@link #play} blocks the caller until they are done, and fails if a press threw.
 *
 * <pre>{@code
 * KeyClock.play(settings, (player, index) -> rooms.get(player).send(log.press(player, index)));
 * }</pre>
 */
final class KeyClock {

    /** What one player does for one note. */
    interface Press {
        void press(int player, int index);
    }

    private KeyClock() {}

    static void play(PianoSettings settings, Press press) throws InterruptedException {
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(1, r -> {
            Thread thread = new Thread(r, "piano-bench-keys");
            thread.setDaemon(true);
            return thread;
        });
        int players = PianoSettings.PLAYERS;
        int notes = settings.notesPerPlayer();
        try {
            AtomicIntegerArray next = new AtomicIntegerArray(players);
            // A press that threw would otherwise end its schedule silently and leave the wait below to time out.
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            long interval = PianoSettings.NOTE_INTERVAL.toNanos();
            for (int p = 0; p < players; p++) {
                int player = p;
                clock.scheduleAtFixedRate(
                        () -> {
                            int index = next.get(player);
                            if (index < notes && failure.get() == null) {
                                try {
                                    press.press(player, index);
                                } catch (RuntimeException e) {
                                    failure.compareAndSet(null, e);
                                }
                                next.set(player, index + 1);
                            }
                        },
                        interval / players * p,
                        interval,
                        TimeUnit.NANOSECONDS);
            }
            Waiting.until(
                    "the players finish",
                    Duration.ofNanos(interval * (notes + 20L)).plusSeconds(30),
                    () -> failure.get() != null || IntStream.range(0, players).allMatch(p -> next.get(p) >= notes));
            if (failure.get() != null) {
                throw new IllegalStateException(
                        "a key press failed: " + failure.get().getMessage(), failure.get());
            }
        } finally {
            clock.shutdownNow();
        }
    }
}
