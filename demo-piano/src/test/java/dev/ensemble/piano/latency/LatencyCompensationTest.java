package dev.ensemble.piano.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyCompensationTest {
    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void delaysOwnNotesByTheRoomMaxAndPeersByMaxMinusTheirLatency() {
        LatencyCompensation c = LatencyCompensation.of(Map.of("near", ms(20), "far", ms(50), "remote", ms(90)));

        assertEquals(ms(50), c.roomMax());
        assertEquals(ms(50), c.ownDelay());
        assertEquals(ms(30), c.delayFor("near"));
        assertEquals(ms(0), c.delayFor("far"));
        assertEquals(ms(0), c.delayFor("remote"), "peers beyond 60 ms play at once");
    }

    @Test
    void everyNoteSoundsRoomMaxAfterItWasPlayedWhereverItIsHeard() {
        Map<String, Duration> latencies = Map.of("b", ms(12), "c", ms(35), "d", ms(58));
        LatencyCompensation c = LatencyCompensation.of(latencies);
        for (Map.Entry<String, Duration> peer : latencies.entrySet()) {
            assertEquals(
                    c.ownDelay(),
                    peer.getValue().plus(c.delayFor(peer.getKey())),
                    "travel plus delay of " + peer.getKey());
        }
    }

    @Test
    void compensatesOnlyPeersFrom10To60MillisecondsInclusive() {
        LatencyCompensation c =
                LatencyCompensation.of(Map.of("lan", ms(9), "low", ms(10), "high", ms(60), "slow", ms(61)));

        assertEquals(ms(60), c.ownDelay());
        assertEquals(ms(0), c.delayFor("lan"));
        assertEquals(ms(50), c.delayFor("low"));
        assertEquals(ms(0), c.delayFor("high"));
        assertEquals(ms(0), c.delayFor("slow"));
    }

    @Test
    void playsEverythingAtOnceWhenNoPeerQualifies() {
        LatencyCompensation c = LatencyCompensation.of(Map.of("lan", ms(2), "satellite", ms(300)));

        assertEquals(Duration.ZERO, c.ownDelay());
        assertEquals(Duration.ZERO, c.delayFor("lan"));
        assertEquals(Duration.ZERO, c.delayFor("satellite"));
        assertEquals(Duration.ZERO, LatencyCompensation.NONE.ownDelay());
    }

    @Test
    void playsAnUnknownPeerAtOnce() {
        assertEquals(Duration.ZERO, LatencyCompensation.of(Map.of("b", ms(30))).delayFor("stranger"));
    }
}
