package dev.ensemble.transport.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The receive counters alone: in order, gaps, replays, and the top of the unsigned range. */
class ReplayWindowTest {

    private final ReplayWindow window = new ReplayWindow();

    @Test
    void acceptsCountersInOrderAndCountsWhatTheySkip() throws Exception {
        assertEquals(0, window.accept(0));
        assertEquals(0, window.accept(1));
        assertEquals(3, window.accept(5), "2, 3 and 4 never arrived");
        assertEquals(6, window.next());
    }

    @Test
    void refusesACounterAlreadyPassedAndStaysWhereItWas() throws Exception {
        window.accept(0);
        window.accept(4);
        ReplayWindow.ReplayException again = assertThrows(ReplayWindow.ReplayException.class, () -> window.accept(4));
        assertEquals("counter 4 is below the next expected 5", again.getMessage());
        assertThrows(ReplayWindow.ReplayException.class, () -> window.accept(2), "older than one accepted");
        assertEquals(5, window.next());
        assertEquals(0, window.accept(5));
    }

    @Test
    void comparesCountersAsUnsigned() throws Exception {
        // 2^63 is negative as a long but above every counter below it.
        assertEquals(Long.MIN_VALUE, window.accept(Long.MIN_VALUE));
        assertThrows(ReplayWindow.ReplayException.class, () -> window.accept(Long.MAX_VALUE));
        assertEquals(Long.MIN_VALUE + 1, window.next());
        // The last counter a sender uses (2^64 − 2) leaves the next expected at 2^64 − 1, not 0.
        window.accept(Session.LAST_COUNTER);
        assertEquals(-1L, window.next());
        assertThrows(ReplayWindow.ReplayException.class, () -> window.accept(0));
    }
}
