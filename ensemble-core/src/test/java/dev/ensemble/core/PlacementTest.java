package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Placement as data: the configuration puts an actor on another node, and {@link ActorSystem#client}
 * hands out the attached remote layer's client for it. The "remote layer" here is another system in
 * the same JVM, which is all core may know of one.
 */
class PlacementTest {
    private static final String DID = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH";
    private static final String PLACED =
            "{\"actors\":{\"counter\":{\"node\":\"counter-host\"}}," + "\"nodes\":{\"counter-host\":\"" + DID + "\"}}";

    @Test
    void namesOfNodesResolveToTheirAddresses() {
        ActorSystemConfig config = ActorSystemConfig.fromJson(PLACED, "app.json");
        assertEquals(Map.of("counter", DID), config.placements());
        ActorSystemConfig direct =
                ActorSystemConfig.fromJson("{\"actors\":{\"counter\":{\"node\":\"" + DID + "\"}}}", "app.json");
        assertEquals(Map.of("counter", DID), direct.placements());
    }

    @Test
    void aPlacedActorIsNotStartedHereAndItsClientComesFromTheRemoteLayer() {
        List<String> asked = new CopyOnWriteArrayList<>();
        try (ActorSystem elsewhere = ActorSystem.builder("elsewhere")
                        .add(Counter.TOKEN, Counter::new)
                        .start();
                ActorSystem here = ActorSystem.builder("here")
                        .config(ActorSystemConfig.fromJson(PLACED, "app.json"))
                        .add(Counter.TOKEN, Counter::new) // the same code on every node: config decides
                        .start()) {
            assertTrue(here.actors().isEmpty(), "the counter does not run here: " + here.actors());
            IllegalStateException detached =
                    assertThrows(IllegalStateException.class, () -> here.client(Counter.TOKEN));
            assertEquals(
                    "actor \"counter\" runs on node " + DID + " (placed by app.json), but no remote layer is"
                            + " attached to system \"here\": start a RemoteActors for it (ensemble-remote) before"
                            + " asking for the client",
                    detached.getMessage());

            RemoteClients layer = new RemoteClients() {
                @Override
                public <A, S> ActorClient<A, S> client(String node, ActorToken<A, S> token) {
                    asked.add(node + " " + token.name());
                    return elsewhere.client(token);
                }
            };
            assertTrue(here.attachRemote(layer));
            RemoteClients another = new RemoteClients() {
                @Override
                public <A, S> ActorClient<A, S> client(String node, ActorToken<A, S> token) {
                    throw new AssertionError("not attached");
                }
            };
            assertFalse(here.attachRemote(another), "one layer at a time");
            ActorClient<CounterActions, CounterState> counter = here.client(Counter.TOKEN);
            counter.actions().increment();
            assertEquals(1L, counter.actions().get().join());
            assertEquals(
                    1L, here.client("/counter", Counter.TOKEN).actions().get().join());
            assertEquals(List.of(DID + " counter", DID + " counter"), asked);
            assertSame(elsewhere.client(Counter.TOKEN).getClass(), counter.getClass());

            here.detachRemote(layer);
            assertThrows(IllegalStateException.class, () -> here.client(Counter.TOKEN));
        }
    }

    @Test
    void badPlacementsAreRejectedNamingTheKey() {
        assertEquals(
                "app.json: actors.counter.node: \"counter-hst\" is neither a node address (\"did:key:...\") nor a"
                        + " node named in \"nodes\" (named: [counter-host])",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ActorSystemConfig.fromJson(
                                        PLACED.replace("\"node\":\"counter-host\"", "\"node\":\"counter-hst\""),
                                        "app.json"))
                        .getMessage());
        assertEquals(
                "app.json: actors.counter.dispatcher: an actor placed on another node takes no other key here (its"
                        + " own node configures its dispatcher, mailbox and supervision): remove it, or remove"
                        + " \"node\" to run the actor here",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ActorSystemConfig.fromJson(
                                        "{\"actors\":{\"counter\":{\"node\":\"" + DID
                                                + "\",\"dispatcher\":\"dedicated\"}}}",
                                        "app.json"))
                        .getMessage());
        assertEquals(
                "app.json: nodes.b: expected a node address (\"did:key:z6Mk...\"), but was \"10.0.0.7\"",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ActorSystemConfig.fromJson("{\"nodes\":{\"b\":\"10.0.0.7\"}}", "app.json"))
                        .getMessage());
        assertEquals(
                "app.json: actors.counter.node: expected a string, but was 7",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ActorSystemConfig.fromJson("{\"actors\":{\"counter\":{\"node\":7}}}", "app.json"))
                        .getMessage());
    }
}
