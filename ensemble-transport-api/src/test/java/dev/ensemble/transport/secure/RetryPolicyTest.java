package dev.ensemble.transport.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void theDefaultWaitsDoubleToThirtySecondsAndGiveUpAfterEightInits() {
        RetryPolicy policy = RetryPolicy.DEFAULT;
        List<Long> waits = IntStream.rangeClosed(1, 8)
                .mapToObj(n -> policy.waitAfter(n).toSeconds())
                .toList();
        assertEquals(List.of(2L, 4L, 8L, 16L, 30L, 30L, 30L, 30L), waits);
        assertEquals(Duration.ofSeconds(150), policy.giveUpAfter());
    }

    @Test
    void refusesWaitsThatAreNotPositiveOrOutOfOrderAndNoInits() {
        IllegalArgumentException zero = assertThrows(
                IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 3));
        assertEquals("retry waits must be positive with max >= first (got first PT0S, max PT1S)", zero.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 3));
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
        assertEquals("maxInits must be at least 1 (got 0)", none.getMessage());
    }
}
