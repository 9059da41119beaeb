package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A local actor that depends on an actor the configuration places on another node: it receives
 * the remote layer's client through its dependencies, reacts to it and watches it in its own
 * turns, starts after the layer and stops before it. The "other node" is another system in the
 * same JVM, reached through a stand-in layer: all that core may know of one.
 */
class PlacedDependencyTest {
    private static final String DID = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH";
    private static final String PLACED =
            "{\"actors\":{\"counter\":{\"node\":\"counter-host\"}},\"nodes\":{\"counter-host\":\"" + DID + "\"}}";

    /** A remote layer whose "other node" is a system in this JVM; attaches itself like RemoteActors. */
    private static final class StandInLayer implements RemoteClients, AutoCloseable {
        private final ActorSystem here;
        private final ActorSystem elsewhere;
        private final List<String> lifecycle;

        StandInLayer(ActorSystem here, ActorSystem elsewhere, List<String> lifecycle, boolean attach) {
            this.here = here;
            this.elsewhere = elsewhere;
            this.lifecycle = lifecycle;
            if (attach) {
                here.attachRemote(this);
            }
            lifecycle.add("layer started");
        }

        @Override
        public <A, S> ActorClient<A, S> client(String node, ActorToken<A, S> token) {
            assertEquals(DID, node);
            return elsewhere.client(token);
        }

        @Override
        public void close() {
            here.detachRemote(this);
            lifecycle.add("layer closed");
        }
    }

    @Test
    void aLocalActorReceivesThePlacedDependencysClientAndReactsToItInItsOwnTurns() {
        List<String> lifecycle = new CopyOnWriteArrayList<>();
        try (ActorSystem elsewhere = ActorSystem.builder("elsewhere")
                .add(Counter.TOKEN, Counter::new)
                .start()) {
            ActorSystem here = ActorSystem.builder("here")
                    .config(ActorSystemConfig.fromJson(PLACED, "app.json"))
                    .remote(system -> new StandInLayer(system, elsewhere, lifecycle, true))
                    .add(Counter.TOKEN, Counter::new) // the same code on every node: config decides
                    .add(Mirror.TOKEN, () -> new Mirror(lifecycle), Counter.TOKEN)
                    .start();
            assertEquals(List.of("layer started", "mirror started"), lifecycle, "the layer starts first");
            assertEquals(
                    List.of("mirror"),
                    here.actors().stream().map(ActorInfo::name).toList(),
                    "the counter does not run here");

            elsewhere.client(Counter.TOKEN).actions().increment();
            elsewhere.client(Counter.TOKEN).actions().increment();
            ActorClient<MirrorActions, MirrorState> mirror = here.client(Mirror.TOKEN);
            Await.until(
                    "the mirror reacted to the placed counter's state",
                    () -> mirror.state().seen() == 2);
            assertEquals(2L, mirror.actions().countOfTheCounter().join(), "asked through dependency()");

            // A restart (the default supervision) makes a fresh instance, whose onStart reacts anew;
            // the old instance's subscription to the remote client ended with it.
            mirror.actions().crash();
            Await.until(
                    "the mirror restarted",
                    () -> lifecycle.stream().filter("mirror started"::equals).count() == 2,
                    () -> lifecycle);
            elsewhere.client(Counter.TOKEN).actions().increment();
            Await.until(
                    "the restarted mirror follows the placed counter",
                    () -> mirror.state().seen() == 3,
                    mirror::state);
            assertEquals(3L, mirror.actions().countOfTheCounter().join());

            elsewhere.stop(Counter.TOKEN).join();
            Await.until(
                    "the mirror's onDown ran for the placed counter",
                    () -> "counter".equals(mirror.state().down()));

            here.close();
            assertEquals(
                    List.of(
                            "layer started",
                            "mirror started",
                            "mirror stopped",
                            "mirror started",
                            "mirror stopped",
                            "layer closed"),
                    lifecycle,
                    "the layer closes after the actors that depend on it stopped");
        }
    }

    @Test
    void anActorSpawnedLaterMayDependOnAPlacedActorToo() {
        try (ActorSystem elsewhere = ActorSystem.builder("elsewhere")
                        .add(Counter.TOKEN, Counter::new)
                        .start();
                ActorSystem here = ActorSystem.builder("here")
                        .config(ActorSystemConfig.fromJson(PLACED, "app.json"))
                        .start()) {
            IllegalStateException detached = assertThrows(
                    IllegalStateException.class,
                    () -> here.spawn(
                            Mirror.TOKEN,
                            () -> new Mirror(new CopyOnWriteArrayList<>()),
                            ActorProps.defaults(),
                            Counter.TOKEN));
            assertTrue(detached.getMessage().contains("no remote layer is attached"), detached::getMessage);

            StandInLayer layer = new StandInLayer(here, elsewhere, new CopyOnWriteArrayList<>(), true);
            ActorClient<MirrorActions, MirrorState> mirror = here.spawn(
                    Mirror.TOKEN, () -> new Mirror(new CopyOnWriteArrayList<>()), ActorProps.defaults(), Counter.TOKEN);
            // A spawned actor starts asynchronously: its reaction exists once its onStart has run.
            Await.until("the spawned mirror started", () -> mirror.status() == ActorStatus.RUNNING);
            elsewhere.client(Counter.TOKEN).actions().increment();
            Await.until(
                    "the spawned mirror follows the placed counter",
                    () -> mirror.state().seen() == 1);
            assertEquals(1L, mirror.actions().countOfTheCounter().join());
            layer.close();
        }
    }

    @Test
    void aDependencyOnAPlacedActorWithoutARemoteLayerIsRefusedSayingWhatToDo() {
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> ActorSystem.builder("here")
                        .config(ActorSystemConfig.fromJson(PLACED, "app.json"))
                        .add(Counter.TOKEN, Counter::new)
                        .add(Mirror.TOKEN, () -> new Mirror(new CopyOnWriteArrayList<>()), Counter.TOKEN)
                        .start());
        assertEquals(
                "cannot start actor system \"here\": actor \"mirror\" depends on \"counter\", which app.json places"
                        + " on node " + DID + ", but the builder has no remote layer to reach it: give it one with"
                        + " Builder.remote (ensemble-remote: system -> RemoteActors.builder(system, transport).start()),"
                        + " which starts before the actors",
                error.getMessage());
    }

    @Test
    void aDependencyCycleThroughAPlacedActorIsRefusedNamingIt() {
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> ActorSystem.builder("here")
                        .config(ActorSystemConfig.fromJson(PLACED, "app.json"))
                        .remote(system -> new StandInLayer(system, system, new CopyOnWriteArrayList<>(), true))
                        .add(Counter.TOKEN, Counter::new, Mirror.TOKEN)
                        .add(Mirror.TOKEN, () -> new Mirror(new CopyOnWriteArrayList<>()), Counter.TOKEN)
                        .start());
        assertEquals(
                "cannot start actor system \"here\": dependency cycle: mirror -> counter (placed on node " + DID
                        + " by app.json) -> mirror",
                error.getMessage());
    }

    @Test
    void aRemoteLayerThatDoesNotAttachFailsTheStartAndIsClosed() {
        List<String> lifecycle = new CopyOnWriteArrayList<>();
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> ActorSystem.builder("here")
                        .config(ActorSystemConfig.fromJson(PLACED, "app.json"))
                        .remote(system -> new StandInLayer(system, system, lifecycle, false))
                        .add(Mirror.TOKEN, () -> new Mirror(lifecycle), Counter.TOKEN)
                        .start());
        assertEquals(
                "cannot start actor system \"here\": the remote layer given to Builder.remote started without"
                        + " attaching itself (ActorSystem.attachRemote), so the actors placed on other nodes cannot"
                        + " be reached",
                error.getMessage());
        assertEquals(List.of("layer started", "layer closed"), lifecycle, "no actor started; the layer closed");
    }

    @Test
    void aRemoteLayerThatFailsToStartFailsTheStartNamingTheCause() {
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> ActorSystem.builder("here")
                        .config(ActorSystemConfig.fromJson(PLACED, "app.json"))
                        .remote(system -> {
                            throw new IllegalStateException("port 7000 is taken");
                        })
                        .add(Mirror.TOKEN, () -> new Mirror(new CopyOnWriteArrayList<>()), Counter.TOKEN)
                        .start());
        assertEquals(
                "cannot start actor system \"here\": its remote layer failed to start:"
                        + " java.lang.IllegalStateException: port 7000 is taken",
                error.getMessage());
    }

    @Test
    void aPlacedActorResolvesByNameAndByPathLikeALocalOne() {
        try (ActorSystem elsewhere = ActorSystem.builder("elsewhere")
                        .add(Counter.TOKEN, Counter::new)
                        .start();
                ActorSystem here = ActorSystem.builder("here")
                        .config(ActorSystemConfig.fromJson(PLACED, "app.json"))
                        .remote(system -> new StandInLayer(system, elsewhere, new CopyOnWriteArrayList<>(), true))
                        .start()) {
            here.client(Counter.TOKEN).actions().increment();
            assertEquals(
                    1L, here.client("/counter", Counter.TOKEN).actions().get().join());
            assertEquals("/counter", here.client("/counter", Counter.TOKEN).path());
            assertEquals(
                    1L,
                    here.client("counter", Counter.TOKEN).actions().get().join(),
                    "a path without its slash, as for a local actor of the root");
            assertEquals(
                    "actor \"counter\" runs on node " + DID + " (placed by app.json), not in system \"here\": stop"
                            + " it on its node",
                    assertThrows(IllegalArgumentException.class, () -> here.stop(Counter.TOKEN))
                            .getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> here.client("/counter/x", Counter.TOKEN))
                    .getMessage()
                    .startsWith("no actor at path /counter/x"));
        }
    }
}
