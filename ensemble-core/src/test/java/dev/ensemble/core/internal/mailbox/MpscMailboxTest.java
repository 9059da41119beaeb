package dev.ensemble.core.internal.mailbox;

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
                Arguments.of("uncounted", (Supplier<Mailbox<Node>>) MpscMailbox::new),
                Arguments.of("counted", (Supplier<Mailbox<Node>>) CountingMpscMailbox::new));
    }

    /** A message that is only a node. */
    static final class Node extends MailboxNode {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("mailboxes")
    void sizeAndEmptinessFollowOffersAndPollsInFifoOrder(String kind, Supplier<Mailbox<Node>> make) {
        Mailbox<Node> mailbox = make.get();
        assertTrue(mailbox.isEmpty());
        assertEquals(0, mailbox.size());
        assertFalse(mailbox.hasNext());
        Node first = new Node();
        Node second = new Node();
        Node third = new Node();
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
