package dev.ensemble.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AwaitTest {

    private static final Pattern TIMED_OUT =
            Pattern.compile("timed out after (\\d+) ms \\(timeout 200 ms\\) waiting for: the moon turns blue");

    @Test
    void returnsAsSoonAsTheConditionHolds() {
        AtomicInteger checks = new AtomicInteger();
        Await.until("the fifth check", () -> checks.incrementAndGet() == 5);
        assertEquals(5, checks.get());
    }

    @Test
    void failsAfterTheDeadlineNamingTheConditionAndHowLongItWaited() {
        long start = System.nanoTime();
        AssertionError error = assertThrows(
                AssertionError.class, () -> Await.until("the moon turns blue", Duration.ofMillis(200), () -> false));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        Matcher matcher = TIMED_OUT.matcher(error.getMessage());
        assertTrue(matcher.matches(), error.getMessage());
        long reported = Long.parseLong(matcher.group(1));
        assertTrue(
                reported >= 200 && reported <= waitedMillis,
                reported + " ms reported, " + waitedMillis + " ms measured");
    }

    @Test
    void aFailureShowsTheDiagnosticState() {
        AssertionError error = assertThrows(
                AssertionError.class,
                () -> Await.until("three messages", Duration.ofMillis(20), () -> false, () -> "1 message(s)"));
        assertTrue(error.getMessage().endsWith("waiting for: three messages; state: 1 message(s)"), error.getMessage());
    }

    @Test
    void aDiagnosticThatThrowsIsReportedInsteadOfHidingTheTimeout() {
        AssertionError error = assertThrows(
                AssertionError.class,
                () -> Await.until("three messages", Duration.ofMillis(20), () -> false, () -> {
                    throw new IllegalStateException("closed");
                }));
        assertTrue(
                error.getMessage()
                        .endsWith("waiting for: three messages; state unavailable:"
                                + " java.lang.IllegalStateException: closed"),
                error.getMessage());
    }

    @Test
    void pollsWithoutSpinning() {
        AtomicInteger checks = new AtomicInteger();
        assertThrows(
                AssertionError.class,
                () -> Await.until("never", Duration.ofMillis(300), () -> {
                    checks.incrementAndGet();
                    return false;
                }));
        // Pauses grow to 10 ms: about 30 checks in 300 ms (a spinning wait makes millions).
        assertTrue(checks.get() >= 10 && checks.get() <= 100, checks.get() + " checks in 300 ms");
    }

    @Test
    void checksOnceMoreAtTheDeadline() {
        long start = System.nanoTime();
        Duration timeout = Duration.ofMillis(50);
        Await.until("the deadline", timeout, () -> System.nanoTime() - start >= timeout.toNanos());
    }

    @Test
    void valueReturnsTheFirstValueTheProbeFinds() {
        AtomicInteger checks = new AtomicInteger();
        String value = Await.value("the third check", () -> checks.incrementAndGet() == 3 ? "found" : null);
        assertEquals("found", value);
        assertEquals(3, checks.get());
    }

    @Test
    void valueFailsLikeUntilWhenNothingComes() {
        AssertionError error = assertThrows(
                AssertionError.class, () -> Await.value("the moon turns blue", Duration.ofMillis(200), () -> null));
        assertTrue(TIMED_OUT.matcher(error.getMessage()).matches(), error.getMessage());
    }

    @Test
    void anExceptionFromTheConditionEndsTheWaitUnchanged() {
        IllegalStateException dead = new IllegalStateException("the process died");
        AtomicInteger checks = new AtomicInteger();
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> Await.until("a line", () -> {
                    if (checks.incrementAndGet() == 2) {
                        throw dead;
                    }
                    return false;
                }));
        assertEquals(dead, thrown);
    }

    @Test
    void anInterruptEndsTheWaitAndKeepsTheThreadInterrupted() {
        Thread.currentThread().interrupt();
        try {
            AssertionError error = assertThrows(AssertionError.class, () -> Await.until("never", () -> false));
            assertTrue(error.getMessage().startsWith("interrupted after "), error.getMessage());
            assertTrue(error.getMessage().endsWith(" ms waiting for: never"), error.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aNegativeTimeoutIsRejectedWithTheValueSeen() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> Await.until("x", Duration.ofSeconds(-1), () -> true));
        assertEquals("timeout must be zero or more, but was PT-1S for: x", error.getMessage());
    }
}
