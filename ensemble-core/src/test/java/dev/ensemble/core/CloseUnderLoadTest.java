package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.core.mailbox.MailboxConfig;
import dev.ensemble.core.mailbox.OverflowPolicy;
import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Actors stopped, and actor systems closed, while many threads keep calling them. A call that
 * races the stop either works or fails with a documented error, and every ask's future
 * completes. Before this was fixed, a call that passed the stopped check just before the actor's
 * threads were shut down threw the executor's {@code RejectedExecutionException} out of the
 * call (issue 11: 1 to 2 times in 12 million asks over 25 closed systems).
 *
 * <p>What makes the race likely here: a spawned actor on a dedicated thread loses its thread the
 * moment it stops, and whole systems are closed under the callers too. The actors have bounded
 * mailboxes, whose lock sits between a call's stopped check and its hand-off to the dispatcher,
 * so callers queue inside the race window; and there are many more callers than cores, so a
 * caller preempted in that window stays off the CPU while the actor stops. The code before the
 * fix failed this test in 5 runs of 5, each within 4 seconds, on 2 busy cores.
 *
 * <p>The documented errors: {@link ActorStoppedException} for a call to a stopped actor (thrown
 * by a tell, in the failed future of an ask), and, since the mailboxes drop their oldest message
 * when full, {@link MailboxOverflowException} in the future of an ask dropped that way.
 */
class CloseUnderLoadTest {
    interface EchoActions {
        void note(int value);

        CompletableFuture<Integer> echo(int value);
    }

    static final class Echo extends Actor<Integer> implements EchoActions {
        Echo() {
            super(0);
        }

        @Override
        public void note(int value) {
            setState(value);
        }

        @Override
        public CompletableFuture<Integer> echo(int value) {
            return reply(value);
        }
    }

    private static final int CALLERS = 16;
    private static final int SYSTEMS = 2;
    /** Actors spawned and stopped, one after the other, in each system before it is closed. */
    private static final int ACTORS_PER_SYSTEM = 6;
    /** Calls each actor takes before it is stopped under its callers. */
    private static final long CALLS_BEFORE_STOP = 500;
    /** Every this many calls, a caller asks rather than tells. */
    private static final int ASK_EVERY = 8;
    /**
     * Far longer than any answer takes: an ask that reaches it was stranded, not slow. The actor
     * stops and the future must fail at once.
     */
    private static final Duration ASK_TIMEOUT = Duration.ofMinutes(5);

    private final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    private final LongAdder calls = new LongAdder();
    private final LongAdder asks = new LongAdder();
    private final LongAdder asksCompleted = new LongAdder();

    @Test
    void callsRacingAStopFailOnlyWithDocumentedErrorsAndEveryAskCompletes() throws Exception {
        AtomicReference<EchoActions> current = new AtomicReference<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            int seed = i;
            Thread caller = new Thread(() -> call(current, running, seed), "caller-" + i);
            caller.setDaemon(true);
            callers.add(caller);
            caller.start();
        }
        int stops = 0;
        try {
            for (int round = 0; round < SYSTEMS && wrong.isEmpty(); round++) {
                ActorSystem system = ActorSystem.builder("closing-" + round).start();
                for (int a = 0; a < ACTORS_PER_SYSTEM && wrong.isEmpty(); a++) {
                    ActorToken<EchoActions, Integer> token =
                            ActorToken.of("echo-" + a, EchoActions.class, Integer.class);
                    ActorClient<EchoActions, Integer> spawned = system.spawn(token, Echo::new, props(a));
                    current.set(spawned.withAskTimeout(ASK_TIMEOUT).actions());
                    awaitCalls("calls to " + token.name());
                    boolean last = a == ACTORS_PER_SYSTEM - 1;
                    if (last) {
                        system.close();
                    } else {
                        system.stop(token).get(Await.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    }
                    stops++;
                }
            }
        } finally {
            running.set(false);
            for (Thread caller : callers) {
                caller.join(Await.DEFAULT_TIMEOUT.toMillis());
            }
        }
        Await.until("every ask's future to complete", () -> wrong.size() > 0 || asksCompleted.sum() == asks.sum());
        assertEquals(
                List.of(),
                wrong.stream().limit(5).toList(),
                wrong.size() + " calls failed otherwise than documented (the first 5 shown)");
        assertEquals(asks.sum(), asksCompleted.sum(), "every ask's future must complete");
        assertTrue(stops >= SYSTEMS * ACTORS_PER_SYSTEM, "the test must have stopped every actor it spawned");
    }

    /** Both dispatchers, in turn, each with a mailbox that drops its oldest message when full. */
    private static ActorProps props(int index) {
        ActorProps props = ActorProps.defaults().withMailbox(MailboxConfig.bounded(1_000, OverflowPolicy.DROP_OLDEST));
        return index % 2 == 0 ? props.withDispatcher(DispatcherSelector.dedicated()) : props;
    }

    private void awaitCalls(String what) {
        long before = calls.sum();
        Await.until(what, () -> wrong.size() > 0 || calls.sum() - before >= CALLS_BEFORE_STOP);
    }

    /** One calling thread: tells, and now and then an ask, to whichever actor is current. */
    private void call(AtomicReference<EchoActions> current, AtomicBoolean running, int seed) {
        int n = seed;
        while (running.get()) {
            EchoActions target = current.get();
            if (target == null) {
                LockSupport.parkNanos(100_000);
                continue;
            }
            n++;
            try {
                if (n % ASK_EVERY == 0) {
                    CompletableFuture<Integer> answer = target.echo(n);
                    asks.increment();
                    answer.whenComplete((value, error) -> {
                        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                        if (cause != null
                                && !(cause instanceof ActorStoppedException)
                                && !(cause instanceof MailboxOverflowException)) {
                            wrong.add("an ask failed with " + cause);
                        }
                        asksCompleted.increment();
                    });
                } else {
                    target.note(n);
                }
            } catch (ActorStoppedException expected) {
                // The documented error of a call to a stopped actor.
            } catch (Throwable unexpected) {
                wrong.add("a call threw " + unexpected);
            }
            calls.increment();
        }
    }
}
