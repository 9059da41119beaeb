package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ensemble.core.mailbox.MailboxConfig;
import dev.ensemble.core.mailbox.OverflowPolicy;
import dev.ensemble.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class MailboxTest {
    @Test
    void aFullMailboxWithFailSenderRefusesTheNewMessage() throws Exception {
        try (ActorSystem system = ActorSystem.builder("fail-sender")
                .add(
                        Counter.TOKEN,
                        Counter::new,
                        ActorProps.defaults().withMailbox(MailboxConfig.bounded(3, OverflowPolicy.FAIL_SENDER)))
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            CountDownLatch release = new CountDownLatch(1);
            counter.actions().block(release);
            Await.until(
                    "the blocking turn to start", () -> system.actors().get(0).mailboxDepth() == 0);
            counter.actions().record("a");
            counter.actions().record("b");
            counter.actions().record("c");
            MailboxOverflowException refused = assertThrows(
                    MailboxOverflowException.class, () -> counter.actions().record("d"));
            assertEquals(
                    "mailbox of actor \"counter\" is full (3 messages waiting): tell record() refused",
                    refused.getMessage());
            ExecutionException ask = assertThrows(
                    ExecutionException.class, () -> counter.actions().get().get());
            assertInstanceOf(MailboxOverflowException.class, ask.getCause());
            release.countDown();
            Await.until("the waiting messages", () -> counter.state().log().size() == 3);
            assertEquals(List.of("a", "b", "c"), counter.state().log());
            assertEquals(0L, counter.actions().get().get());
        }
    }

    @Test
    void aFullMailboxWithDropOldestKeepsTheNewestAndFailsDroppedAsks() throws Exception {
        try (ActorSystem system = ActorSystem.builder("drop-oldest")
                .add(
                        Counter.TOKEN,
                        Counter::new,
                        ActorProps.defaults().withMailbox(MailboxConfig.bounded(3, OverflowPolicy.DROP_OLDEST)))
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            CountDownLatch release = new CountDownLatch(1);
            counter.actions().block(release);
            Await.until(
                    "the blocking turn to start", () -> system.actors().get(0).mailboxDepth() == 0);
            CompletableFuture<Long> dropped = counter.actions().get();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add("m" + i);
                counter.actions().record("m" + i);
            }
            ExecutionException failure = assertThrows(ExecutionException.class, dropped::get);
            assertInstanceOf(MailboxOverflowException.class, failure.getCause());
            assertEquals(
                    "message get to actor \"counter\" was dropped as the oldest in its full mailbox",
                    failure.getCause().getMessage());
            release.countDown();
            Await.until("the newest three", () -> counter.state().log().size() == 3);
            assertEquals(sent.subList(7, 10), counter.state().log());
        }
    }

    @Test
    void capacityMustBePositive() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> MailboxConfig.bounded(0, OverflowPolicy.FAIL_SENDER));
        assertEquals("mailbox capacity must be >= 1, but was 0", error.getMessage());
    }
}
