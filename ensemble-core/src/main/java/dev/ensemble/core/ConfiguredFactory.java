package dev.ensemble.core;

import java.util.function.Supplier;

/**
 * A factory registered under a name with {@link ActorSystem.Builder#factory}, for the actors a
 * configuration file places in a tree: the types its actors offer and how to make one.
 */
record ConfiguredFactory<S>(Class<?> actions, Class<S> stateType, Supplier<? extends Actor<S>> supplier) {
    /** @return a token of these types under the name the configuration gives the actor */
    @SuppressWarnings({"unchecked", "rawtypes"})
    ActorToken<?, S> token(String name) {
        return ActorToken.of(name, (Class) actions, stateType);
    }
}
