package dev.ensemble.core;

import java.util.List;
import java.util.function.Supplier;

/**
 * An actor registered with {@link ActorSystem.Builder#add}: what the system needs to create it.
 *
 * <p>Thread-safe: immutable.
 *
 * @param token its token
 * @param factory makes its instances
 * @param props its dispatcher, mailbox and supervision, before the configuration file's overrides
 * @param dependencies the actors it uses
 * @param <S> its state type
 */
record Registration<S>(
        ActorToken<?, S> token,
        Supplier<? extends Actor<S>> factory,
        ActorProps props,
        List<ActorToken<?, ?>> dependencies) {}
