package dev.ensemble.benchmarks.core;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The Pekko typed counterpart of {@link EnsembleIdle}: one shared behavior for every actor. */
final class PekkoIdle {
    /** The only message; never sent. */
    enum Poke {
        POKE
    }

    private static final Behavior<Poke> WAITING = Behaviors.receiveMessage(poke -> Behaviors.same());

    static final Behavior<Poke> BEHAVIOR = Behaviors.setup(context -> {
        Started.one();
        return WAITING;
    });

    private PekkoIdle() {}
}
