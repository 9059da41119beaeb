package dev.ensemble.core.elsewhere;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Actions interfaces need not be public: an application keeps its actors package-private. */
class PackagePrivateActionsTest {
    interface HiddenActions {
        void add(int amount);

        CompletableFuture<Integer> total();
    }

    static final class Hidden extends Actor<Integer> implements HiddenActions {
        Hidden() {
            super(0);
        }

        @Override
        public void add(int amount) {
            setState(state() + amount);
        }

        @Override
        public CompletableFuture<Integer> total() {
            return reply(state());
        }
    }

    @Test
    void aPackagePrivateActionsInterfaceInAnotherPackageWorks() throws Exception {
        ActorToken<HiddenActions, Integer> token = ActorToken.of("hidden", HiddenActions.class, Integer.class);
        try (ActorSystem system =
                ActorSystem.builder("hidden").add(token, Hidden::new).start()) {
            ActorClient<HiddenActions, Integer> client = system.client(token);
            client.actions().add(2);
            client.actions().add(3);
            assertEquals(5, client.actions().total().get());
        }
    }
}
