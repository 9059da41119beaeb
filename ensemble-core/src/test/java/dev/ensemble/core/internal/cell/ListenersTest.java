package dev.ensemble.core.internal.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.Down;
import dev.ensemble.core.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** An actor's listeners alone: delivery order, isolation, cancellation, and the down signal. */
class ListenersTest {
    private final Listeners<String> listeners = new Listeners<>("subject");
    private final List<String> seen = new ArrayList<>();

    /** A listener that records what it is handed, tagged with its own name. */
    private <T> Listener<T> recorder(String tag) {
        return listener(value -> seen.add(tag + ":" + value));
    }

    private static <T> Listener<T> listener(Consumer<T> delivery) {
        return new Listener<>() {
            @Override
            public void deliver(T value) {
                delivery.accept(value);
            }

            @Override
            public void cancel() {}
        };
    }

    @Test
    void everyStateListenerGetsEachStateInOrderEvenIfOneThrows() {
        listeners.addState(recorder("a"));
        listeners.addState(listener(value -> {
            throw new IllegalStateException("listener b is broken");
        }));
        listeners.addState(recorder("c"));
        listeners.publishState("1");
        listeners.publishState("2");
        assertEquals(List.of("a:1", "c:1", "a:2", "c:2"), seen);
    }

    @Test
    void aCancelledSubscriptionGetsNothingMore() {
        Subscription a = listeners.addEvent(recorder("a"));
        listeners.addEvent(recorder("b"));
        listeners.publishEvent(new ActorEvent("subject", "ticked", 1));
        a.cancel();
        listeners.publishEvent(new ActorEvent("subject", "ticked", 2));
        assertEquals(
                List.of(
                        "a:ActorEvent[actor=subject, name=ticked, payload=1]",
                        "b:ActorEvent[actor=subject, name=ticked, payload=1]",
                        "b:ActorEvent[actor=subject, name=ticked, payload=2]"),
                seen);
    }

    @Test
    void watchersAreToldOnceAndLateWatchersAtOnce() {
        listeners.addDown(recorder("early"));
        listeners.addState(recorder("state"));
        Down down = new Down("subject", new IllegalStateException("gone"));
        listeners.announceDown(down);
        listeners.announceDown(new Down("subject", null));
        listeners.addDown(recorder("late"));
        listeners.publishState("after the end");
        assertEquals(List.of("early:" + down, "late:" + down), seen);
    }
}
