package dev.ensemble.testkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerTest {

    @TempDir
    Path dir;

    @Test
    void answersOnItsPortForgetsEverythingWhenStoppedAndComesBackOnTheSamePort() throws Exception {
        try (RedisServer redis = RedisServer.start(dir)) {
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.uri());
            assertEquals("+OK", redis.command("SET greeting hello"));
            assertEquals("$5", redis.command("GET greeting"));

            redis.stop();
            assertFalse(redis.isRunning());
            assertThrows(IOException.class, () -> redis.command("PING"));
            assertThrows(IllegalStateException.class, () -> {
                redis.restart();
                redis.restart();
            });

            assertTrue(redis.isRunning(), redis.describe());
            assertEquals("+PONG", redis.command("PING"));
            assertEquals("$-1", redis.command("GET greeting"), "nothing was persisted across the restart");
        }
    }
}
