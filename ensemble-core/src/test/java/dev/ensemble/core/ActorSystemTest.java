package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ActorSystemTest {
    /** Records lifecycle steps of every Step actor in one list. */
    private final List<String> steps = new CopyOnWriteArrayList<>();

    private ActorToken<StepActions, String> token(String name) {
        return ActorToken.of(name, StepActions.class, String.class);
    }

    @Test
    void startsInDependencyOrderAndStopsInReverse() {
        ActorToken<StepActions, String> a = token("a");
        ActorToken<StepActions, String> b = token("b");
        ActorToken<StepActions, String> c = token("c");
        ActorSystem system = ActorSystem.builder("order")
                .add(c, () -> new Step(steps), a, b)
                .add(b, () -> new Step(steps), a)
                .add(a, () -> new Step(steps))
                .start();
        assertEquals(List.of("start a", "start b", "start c"), steps);
        steps.clear();
        assertTrue(system.stop(java.time.Duration.ofSeconds(5)));
        assertEquals(List.of("stop c", "stop b", "stop a"), steps);
    }

    @Test
    void aDependentSeesItsDependencyRunningInItsStartHook() throws Exception {
        ActorToken<StepActions, String> a = token("a");
        ActorToken<StepActions, String> reader = token("reader");
        try (ActorSystem system = ActorSystem.builder("deps")
                .add(a, () -> new Step(steps))
                .add(
                        reader,
                        () -> new Step(steps) {
                            @Override
                            protected void onStart() {
                                setState("dependency status " + dependency(a).status());
                            }
                        },
                        a)
                .start()) {
            assertEquals("dependency status RUNNING", system.client(reader).state());
        }
    }

    @Test
    void rejectsDuplicatesMissingDependenciesAndCyclesNamingThemAll() {
        ActorToken<StepActions, String> a = token("a");
        ActorToken<StepActions, String> b = token("b");
        ActorToken<StepActions, String> c = token("c");
        ActorToken<StepActions, String> ghost = token("ghost");
        ActorToken<StepActions, String> solo = token("solo");
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> ActorSystem.builder("bad")
                        .add(a, () -> new Step(steps), b)
                        .add(b, () -> new Step(steps), c)
                        .add(c, () -> new Step(steps), a)
                        .add(solo, () -> new Step(steps), ghost)
                        .add(solo, () -> new Step(steps))
                        .start());
        assertEquals(
                "cannot start actor system \"bad\": duplicate actor \"solo\": registered 2 times;"
                        + " actor \"solo\" depends on \"ghost\", which is not registered;"
                        + " dependency cycle: a -> b -> c -> a",
                error.getMessage());
        assertTrue(steps.isEmpty(), "no actor may start: " + steps);
    }

    @Test
    void rejectsAnUnsupportedActionSignatureAtRegistrationNamingTheMethod() {
        ActorToken<BadActions, String> bad = ActorToken.of("bad", BadActions.class, String.class);
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> ActorSystem.builder("sig").add(bad, BadActor::new));
        assertEquals(
                "unsupported action signature in " + BadActions.class.getName()
                        + ": BadActions.count() returns int (an action must return void for a tell,"
                        + " or CompletableFuture/CompletionStage for an ask)",
                error.getMessage());
    }

    @Test
    void aFailingStartHookFailsTheStartAndStopsTheActorsAlreadyStarted() {
        ActorToken<StepActions, String> a = token("a");
        ActorToken<StepActions, String> broken = token("broken");
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> ActorSystem.builder("fail")
                        .add(a, () -> new Step(steps))
                        .add(
                                broken,
                                () -> new Step(steps) {
                                    @Override
                                    protected void onStart() {
                                        throw new IllegalStateException("no database");
                                    }
                                },
                                a)
                        .start());
        assertEquals(
                "actor \"broken\" failed to start: java.lang.IllegalStateException: no database", error.getMessage());
        Await.until("both instances to end", () -> steps.size() == 3);
        assertEquals("start a", steps.get(0));
        assertEquals(
                java.util.Set.of("stop a", "stop broken"),
                java.util.Set.copyOf(steps.subList(1, 3)),
                "the failed instance's onStop releases what its onStart acquired");
    }

    @Test
    void anUndeclaredDependencyIsRefusedWithTheFix() throws Exception {
        ActorToken<StepActions, String> a = token("a");
        ActorToken<StepActions, String> sneaky = token("sneaky");
        try (ActorSystem system = ActorSystem.builder("undeclared")
                .add(a, () -> new Step(steps))
                .add(sneaky, () -> new Step(steps) {
                    @Override
                    public CompletableFuture<String> describe() {
                        return reply(dependency(a).name());
                    }
                })
                .start()) {
            Exception error = assertThrows(
                    Exception.class,
                    () -> system.client(sneaky).actions().describe().join());
            assertTrue(
                    error.getCause().getMessage().startsWith("actor \"sneaky\" did not declare a dependency on \"a\""),
                    error.getCause().getMessage());
        }
    }

    @Test
    void spawnedActorsRunAndListInTheInspector() throws Exception {
        try (ActorSystem system = ActorSystem.builder("spawn").start()) {
            List<ActorClient<StepActions, String>> clients = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                clients.add(system.spawn(token("child-" + i), () -> new Step(steps), ActorProps.defaults()));
            }
            for (ActorClient<StepActions, String> client : clients) {
                assertEquals(client.name(), client.actions().describe().get());
            }
            assertEquals(100, system.actors().size());
            assertSame(ActorStatus.RUNNING, system.actors().get(99).status());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> system.spawn(token("child-1"), () -> new Step(steps), ActorProps.defaults()));
        }
        List<String> stops =
                new ArrayList<>(steps.stream().filter(s -> s.startsWith("stop")).toList());
        List<String> expected = new ArrayList<>();
        for (int i = 99; i >= 0; i--) {
            expected.add("stop child-" + i);
        }
        assertEquals(expected, stops);
    }

    @Test
    void aStoppedSpawnedActorFreesItsNameWhileAStoppedRegisteredOneStaysListed() throws Exception {
        ActorToken<StepActions, String> registered = token("registered");
        try (ActorSystem system = ActorSystem.builder("names")
                .add(registered, () -> new Step(steps))
                .start()) {
            ActorToken<StepActions, String> child = token("child");
            ActorProps ownThread = ActorProps.defaults().withDispatcher(DispatcherSelector.dedicated());
            system.spawn(child, () -> new Step(steps), ownThread);
            system.stop(child).get(10, TimeUnit.SECONDS);
            assertEquals(
                    List.of("registered"),
                    system.actors().stream().map(ActorInfo::name).toList());
            ActorClient<StepActions, String> again = system.spawn(child, () -> new Step(steps), ownThread);
            assertEquals("child", again.actions().describe().get(10, TimeUnit.SECONDS));

            system.stop(registered).get(10, TimeUnit.SECONDS);
            assertEquals(
                    List.of("registered STOPPED", "child RUNNING"),
                    system.actors().stream()
                            .map(a -> a.name() + " " + a.status())
                            .toList());
            CompletionException refused = assertThrows(
                    CompletionException.class,
                    () -> system.client(registered).actions().describe().join());
            assertInstanceOf(ActorStoppedException.class, refused.getCause());
        }
    }

    interface StepActions {
        CompletableFuture<String> describe();
    }

    interface BadActions {
        int count();
    }

    static class Step extends Actor<String> implements StepActions {
        private final List<String> steps;

        Step(List<String> steps) {
            super("");
            this.steps = steps;
        }

        @Override
        protected void onStart() {
            steps.add("start " + name());
        }

        @Override
        protected void onStop() {
            steps.add("stop " + name());
        }

        @Override
        public CompletableFuture<String> describe() {
            return reply(name());
        }
    }

    static final class BadActor extends Actor<String> implements BadActions {
        BadActor() {
            super("");
        }

        @Override
        public int count() {
            return 0;
        }
    }
}
