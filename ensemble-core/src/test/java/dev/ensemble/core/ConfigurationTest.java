package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ensemble.testkit.Await;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    @Test
    void aClasspathFileAssignsDispatcherMailboxAndSupervisionPerActor() throws Exception {
        try (ActorSystem system = ActorSystem.builder("configured")
                .config(ActorSystemConfig.fromClasspath("ensemble-test.json"))
                .add(Counter.TOKEN, Counter::new)
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            assertEquals("dedicated", system.actors().get(0).dispatcher());
            CountDownLatch release = new CountDownLatch(1);
            counter.actions().block(release);
            Await.until("the blocking turn", () -> system.actors().get(0).mailboxDepth() == 0);
            counter.actions().increment();
            counter.actions().increment();
            assertThrows(MailboxOverflowException.class, () -> counter.actions().increment());
            release.countDown();
            Await.until("the two queued increments", () -> counter.state().count() == 2);
            counter.actions().crash("stop strategy");
            Await.until("the stop", () -> counter.status() == ActorStatus.STOPPED);
        }
    }

    @Test
    void invalidFilesAreRejectedNamingTheSourceAndTheKey() {
        assertEquals(
                "test.json: actors.counter.dispatcher: unknown dispatcher \"gpu\" (expected one of: shared,"
                        + " dedicated, calling-thread)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ActorSystemConfig.fromJson(
                                        "{\"actors\":{\"counter\":{\"dispatcher\":\"gpu\"}}}", "test.json"))
                        .getMessage());
        assertEquals(
                "test.json: actors.counter.mailbox.overflow: expected \"fail-sender\" or \"drop-oldest\", but was"
                        + " \"drop-newest\"",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ActorSystemConfig.fromJson(
                                        "{\"actors\":{\"counter\":{\"mailbox\":{\"capacity\":5,\"overflow\":\"drop-newest\"}}}}",
                                        "test.json"))
                        .getMessage());
        assertEquals(
                "test.json: top level: unknown key \"thruput\" (expected one of [actors, askTimeoutMillis, inspect, nodes,"
                        + " parallelism, supervisors, throughput])",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ActorSystemConfig.fromJson("{\"thruput\": 5}", "test.json"))
                        .getMessage());
        assertEquals(
                "test.json: throughput: expected an integer >= 1, but was 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ActorSystemConfig.fromJson("{\"throughput\": 0}", "test.json"))
                        .getMessage());
        assertEquals(
                "actor system configuration \"missing.json\" is not on the classpath",
                assertThrows(IllegalArgumentException.class, () -> ActorSystemConfig.fromClasspath("missing.json"))
                        .getMessage());
    }

    @Test
    void aFileNamingAnUnregisteredActorFailsTheStart() {
        ActorSystemConfig config =
                ActorSystemConfig.fromJson("{\"actors\":{\"counterr\":{\"dispatcher\":\"shared\"}}}", "typo.json");
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> ActorSystem.builder("typo")
                        .config(config)
                        .add(Counter.TOKEN, Counter::new)
                        .start());
        assertEquals(
                "cannot start actor system \"typo\": typo.json configures actor \"counterr\", which is not"
                        + " registered (registered: [counter])",
                error.getMessage());
    }
}
