package dev.ensemble.benchmarks.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelaySuiteTest {

    @Test
    void everyBenchmarkRunsAtATinySizeWithoutLosingAFrame() throws Exception {
        RelaySettings tiny = new RelaySettings(
                64,
                200,
                600,
                3,
                16,
                10,
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                RelaySettings.ALL,
                Duration.ofSeconds(30));
        long start = System.nanoTime();

        List<String> problems = new RelaySuite(tiny).run();

        assertEquals(List.of(), problems);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "the tiny suite took too long");
    }

    @Test
    void rejectsAClientCountThatDoesNotFillRoomsOfFour() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> RelaySuite.parse(new String[] {"--quick", "--clients", "10"}));
        assertEquals("fan-out clients must be a positive multiple of 4 (one room per 4) but is 10", error.getMessage());
    }

    @Test
    void rejectsAnUnknownArgumentNamingIt() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> RelaySuite.parse(new String[] {"--fast"}));
        assertTrue(error.getMessage().contains("'--fast'"), error.getMessage());
    }

    @Test
    void refusesToStartWhenTheOpenFileLimitIsTooLowForTheClients() {
        IllegalStateException error = assertThrows(
                IllegalStateException.class, () -> RelaySuite.checkFileDescriptorLimit(Integer.MAX_VALUE / 2));
        assertTrue(error.getMessage().contains("raise it (ulimit -n"), error.getMessage());
    }
}
