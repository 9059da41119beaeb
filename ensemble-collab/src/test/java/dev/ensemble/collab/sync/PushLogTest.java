package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushLogTest {
    private static Heads heads(int n) {
        return Heads.of(List.of(ByteBuffer.allocate(Heads.HASH_BYTES).putInt(n).array()));
    }

    @Test
    void anAckConfirmsItsPushAndEveryEarlierOne() {
        PushLog log = new PushLog();
        for (int i = 0; i < 5; i++) {
            log.add(heads(i));
        }
        assertTrue(log.confirm(heads(2)));
        assertEquals(2, log.size(), "pushes 3 and 4 remain");
        assertFalse(log.confirm(heads(1)), "already confirmed");
        assertEquals(2, log.size());
    }

    @Test
    void onlyTheLatestPushesAreRemembered() {
        PushLog log = new PushLog();
        for (int i = 0; i <= PushLog.CAPACITY; i++) {
            log.add(heads(i));
        }
        assertEquals(PushLog.CAPACITY, log.size());
        assertFalse(log.confirm(heads(0)), "the oldest was forgotten");
        assertTrue(log.confirm(heads(PushLog.CAPACITY)));
        assertTrue(log.isEmpty());
    }
}
