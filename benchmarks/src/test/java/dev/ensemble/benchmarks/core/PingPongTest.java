package dev.ensemble.benchmarks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PingPongTest {
    @ParameterizedTest
    @ValueSource(strings = {Runtimes.OURS, Runtimes.PEKKO})
    void everyPairFinishesEveryRound(String runtime) throws Exception {
        try (PingPong pingPong = PingPong.create(runtime, 8)) {
            for (int round = 0; round < 3; round++) {
                pingPong.play(1_000);
            }
            pingPong.play(1);
        }
    }

    @Test
    void aRoundThatDoesNotFinishTimesOutNamingThePairsStillPlaying() {
        Rally rally = new Rally();
        rally.begin(2);
        rally.pairFinished();
        TimeoutException error =
                assertThrows(TimeoutException.class, () -> rally.await(Duration.ofMillis(50), "test ping-pong"));
        assertEquals(
                "test ping-pong: 1 pair(s) still playing after 50 ms; the runtime lost or stalled a message",
                error.getMessage());
    }

    @Test
    void rejectsAnUnknownRuntime() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> PingPong.create("akka", 1));
        assertEquals("runtime must be \"ours\" or \"pekko\", but was \"akka\"", error.getMessage());
    }
}
