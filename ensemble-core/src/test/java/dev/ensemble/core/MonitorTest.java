package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.monitor.ActorMonitor;
import dev.ensemble.core.monitor.MessageTrace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MonitorTest {
    @Test
    void theMonitorSeesEveryMessageWithItsOutcomeAndTiming() throws Exception {
        List<MessageTrace> traces = new CopyOnWriteArrayList<>();
        List<String> statuses = new CopyOnWriteArrayList<>();
        ActorMonitor monitor = new ActorMonitor() {
            @Override
            public void onMessage(MessageTrace trace) {
                traces.add(trace);
            }

            @Override
            public void onStatusChanged(String actor, ActorStatus status, Throwable cause) {
                statuses.add(actor + " " + status);
            }
        };
        long before = System.nanoTime();
        try (ActorSystem system = ActorSystem.builder("monitored")
                .monitor(monitor)
                .add(Counter.TOKEN, Counter::new)
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            counter.actions().increment();
            counter.actions().fail("observed");
            counter.actions().get().get();
        }
        List<String> summary = traces.stream()
                .map(t -> t.kind() + " " + t.name() + " " + t.outcome())
                .toList();
        assertEquals(
                List.of(
                        "TASK start SUCCEEDED",
                        "TELL increment SUCCEEDED",
                        "TELL fail FAILED",
                        "ASK get SUCCEEDED",
                        "TASK stop SUCCEEDED"),
                summary);
        for (MessageTrace trace : traces) {
            assertEquals("counter", trace.actor());
            assertTrue(trace.enqueuedNanos() - before >= 0, "enqueued before the test began: " + trace);
            assertTrue(trace.queueNanos() >= 0 && trace.runNanos() >= 0, trace.toString());
            assertTrue(trace.mailboxDepth() >= 1, trace.toString());
        }
        assertEquals("observed", traces.get(2).failure().getMessage());
        assertEquals(List.of("counter RUNNING", "counter STOPPED"), statuses);
    }
}
