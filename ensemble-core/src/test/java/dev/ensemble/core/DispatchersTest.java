package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.dispatch.DispatcherSelector;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DispatchersTest {
    interface ThreadActions {
        CompletableFuture<String> threadName();

        void remember();
    }

    static final class ThreadReporter extends Actor<String> implements ThreadActions {
        ThreadReporter() {
            super("");
        }

        @Override
        public CompletableFuture<String> threadName() {
            return reply(Thread.currentThread().getName());
        }

        @Override
        public void remember() {
            setState(Thread.currentThread().getName());
        }
    }

    private static ActorToken<ThreadActions, String> token(String name) {
        return ActorToken.of(name, ThreadActions.class, String.class);
    }

    @Test
    void eachDispatcherRunsTurnsWhereItPromises() throws Exception {
        ActorToken<ThreadActions, String> pooled = token("pooled");
        ActorToken<ThreadActions, String> audio = token("audio");
        ActorToken<ThreadActions, String> inline = token("inline");
        try (ActorSystem system = ActorSystem.builder("threads")
                .add(pooled, ThreadReporter::new)
                .add(audio, ThreadReporter::new, ActorProps.defaults().withDispatcher(DispatcherSelector.dedicated()))
                .add(inline, ThreadReporter::new, ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread()))
                .start()) {
            assertTrue(system.client(pooled).actions().threadName().get().startsWith("ensemble-threads-worker-"));
            assertEquals("ensemble-threads-audio", system.client(audio).actions().threadName().get());
            assertEquals("ensemble-threads-audio", system.client(audio).actions().threadName().get());
            system.client(inline).actions().remember();
            assertEquals(Thread.currentThread().getName(), system.client(inline).state(),
                    "the calling-thread dispatcher must have run the turn before tell() returned");
            assertEquals(List.of("shared", "dedicated", "calling-thread"),
                    system.actors().stream().map(ActorInfo::dispatcher).toList());
        }
    }

    @Test
    void theCallingThreadDispatcherIsDeterministic() throws Exception {
        try (ActorSystem system = ActorSystem.builder("inline")
                .add(Nester.TOKEN, Nester::new, ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread()))
                .start()) {
            ActorClient<NesterActions, List<String>> nester = system.client(Nester.TOKEN);
            nester.actions().outer();
            assertEquals(List.of("outer-start", "outer-end", "inner"), nester.state());
            nester.actions().after();
            assertEquals(List.of("outer-start", "outer-end", "inner", "after"), nester.state());
        }
    }
}
