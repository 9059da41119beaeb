package dev.ensemble.core.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.testkit.Await;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rates from samples of a cell's handled-message counter, with the clock given by the test. */
class RateSamplerTest {
    public interface TickActions {
        void tick();
    }

    public static final class Ticker extends Actor<Integer> implements TickActions {
        Ticker() {
            super(0);
        }

        @Override
        public void tick() {
            setState(state() + 1);
        }
    }

    private static final ActorToken<TickActions, Integer> TICKER =
            ActorToken.of("ticker", TickActions.class, Integer.class);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void ratesAreDifferencesOfTheCounterOverTheWindow() {
        try (ActorSystem system =
                ActorSystem.builder("rates").add(TICKER, Ticker::new).start()) {
            ActorCell<?> cell =
                    ((InspectorEngine) system.inspector()).system().cells().get(0);
            RateSampler rates = new RateSampler();
            assertEquals(0, rates.rate(cell, SECOND, 0), "no samples, no rate");
            // The start turn counts as one message once it has ended (its future completes inside it).
            Await.until("the start turn counted", () -> cell.handledCount() == 1);
            long base = cell.handledCount();
            rates.sample(List.of(cell), 0);
            for (int i = 0; i < 20; i++) {
                system.client(TICKER).actions().tick();
            }
            Await.until("20 handled", () -> cell.handledCount() == base + 20);
            assertEquals(0, rates.rate(cell, SECOND, SECOND / 10), "a window under 200 ms gives no rate");
            assertEquals(40, rates.rate(cell, SECOND, SECOND / 2), 0.001, "20 in half a second");
            for (int s = 1; s <= 10; s++) {
                rates.sample(List.of(cell), s * SECOND);
            }
            assertEquals(0, rates.rate(cell, SECOND, 10 * SECOND), 0.001, "nothing over the last second");
            assertEquals(2, rates.rate(cell, 10 * SECOND, 10 * SECOND), 0.001, "20 over 10 s");
            rates.sample(List.of(), 11 * SECOND);
            assertEquals(0, rates.rate(cell, SECOND, 11 * SECOND), "a cell no longer listed is forgotten");
        }
    }
}
