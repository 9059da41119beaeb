package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The unbounded mailbox's contract, with and without its count (the count is kept for monitors). */
class MpscMailboxTest {
    static Stream<Arguments> mailboxes() {
        return Stream.of(
                Arguments.of("uncounted", (Supplier<Mailbox>) MpscMailbox::new),
                Arguments.of("counted", (Supplier<Mailbox>) CountingMpscMailbox::new));
    }

    private static Message task(String name) {
        return new TaskMessage(name, 1, () -> {});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mailboxes")
    void sizeAndEmptinessFollowOffersAndPollsInFifoOrder(String kind, Supplier<Mailbox> make) {
        Mailbox mailbox = make.get();
        assertTrue(mailbox.isEmpty());
        assertEquals(0, mailbox.size());
        assertFalse(mailbox.hasNext());
        Message first = task("first");
        Message second = task("second");
        Message third = task("third");
        assertNull(mailbox.offer(first));
        assertNull(mailbox.offer(second));
        assertNull(mailbox.offer(third));
        assertFalse(mailbox.isEmpty());
        assertEquals(3, mailbox.size());
        assertTrue(mailbox.hasNext());
        assertSame(first, mailbox.poll());
        assertEquals(2, mailbox.size());
        assertSame(second, mailbox.poll());
        assertSame(third, mailbox.poll());
        assertNull(mailbox.poll());
        assertTrue(mailbox.isEmpty());
        assertEquals(0, mailbox.size());
        assertFalse(mailbox.hasNext());
    }
}
