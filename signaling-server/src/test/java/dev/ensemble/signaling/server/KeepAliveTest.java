package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeepAliveTest {

    private final ServerFixture fixture = new ServerFixture();

    @AfterEach
    void tearDown() throws InterruptedException {
        fixture.close();
    }

    @Test
    void spreadsThePingsOverThePeriodInsteadOfOneBurst() throws Exception {
        Duration period = Duration.ofSeconds(2);
        SignalingServer server = fixture.start(b -> b.idleTimeout(period));
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(fixture.verified(server));
        }
        long connected = System.nanoTime();
        Await.until(
                "every client gets a ping after all connected",
                () -> clients.stream().allMatch(client -> client.pings.stream().anyMatch(at -> at > connected)));
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (TestClient client : clients) {
            long ping = client.pings.stream()
                    .filter(at -> at > connected)
                    .findFirst()
                    .orElseThrow();
            first = Math.min(first, ping);
            last = Math.max(last, ping);
        }
        // 20 consecutive connections fall into 20 different 100 ms slices of the 2 s period; one burst
        // would reach them all within a few milliseconds.
        long spreadMillis = (last - first) / 1_000_000;
        assertTrue(
                spreadMillis >= period.toMillis() / 2,
                "the first pings after connecting span only " + spreadMillis + " ms");
        clients.forEach(TestClient::assertOpen);
    }
}
