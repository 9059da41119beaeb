package dev.ensemble.core.internal.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ensemble.core.mailbox.OverflowPolicy;
import org.junit.jupiter.api.Test;

/** The bounded mailbox's two overflow policies, and the framework's messages that bypass the bound. */
class BoundedMailboxTest {
    /** A message; {@code exempt} plays a framework message (timer, lifecycle step). */
    static final class Node extends MailboxNode {
        private final boolean exempt;

        Node(boolean exempt) {
            this.exempt = exempt;
        }

        @Override
        public boolean exemptFromCapacity() {
            return exempt;
        }
    }

    @Test
    void failSenderRefusesTheNewMessageAndKeepsTheQueued() {
        Mailbox<Node> mailbox = new BoundedMailbox<>(2, OverflowPolicy.FAIL_SENDER);
        Node first = new Node(false);
        Node second = new Node(false);
        Node third = new Node(false);
        assertNull(mailbox.offer(first));
        assertNull(mailbox.offer(second));
        assertSame(third, mailbox.offer(third), "a full FAIL_SENDER mailbox hands the new message back");
        assertEquals(2, mailbox.size());
        assertSame(first, mailbox.poll());
        assertNull(mailbox.offer(third), "polling one message makes room for one");
    }

    @Test
    void dropOldestHandsBackTheOldestDroppableMessageAndKeepsTheNew() {
        Mailbox<Node> mailbox = new BoundedMailbox<>(2, OverflowPolicy.DROP_OLDEST);
        Node timer = new Node(true);
        Node first = new Node(false);
        Node second = new Node(false);
        Node third = new Node(false);
        assertNull(mailbox.offer(timer));
        assertNull(mailbox.offer(first));
        assertNull(mailbox.offer(second));
        assertSame(first, mailbox.offer(third), "the oldest message that counts is dropped, not the timer");
        assertSame(timer, mailbox.poll());
        assertSame(second, mailbox.poll());
        assertSame(third, mailbox.poll());
        assertNull(mailbox.poll());
    }

    @Test
    void frameworkMessagesBypassTheCapacity() {
        Mailbox<Node> mailbox = new BoundedMailbox<>(1, OverflowPolicy.FAIL_SENDER);
        assertNull(mailbox.offer(new Node(false)));
        for (int i = 0; i < 3; i++) {
            assertNull(mailbox.offer(new Node(true)), "an exempt message must be accepted by a full mailbox");
        }
        assertEquals(4, mailbox.size());
        Node refused = new Node(false);
        assertSame(refused, mailbox.offer(refused), "exempt messages must not free capacity for others");
    }
}
