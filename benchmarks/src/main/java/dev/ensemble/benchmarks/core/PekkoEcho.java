package dev.ensemble.benchmarks.core;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The Pekko typed counterpart of {@link EnsembleEcho}. */
final class PekkoEcho {
    /** The request: a value and where to send it back. */
    record Echo(int value, ActorRef<Integer> replyTo) {}

    private PekkoEcho() {}

    static Behavior<Echo> create() {
        return Behaviors.receiveMessage(echo -> {
            echo.replyTo().tell(echo.value());
            return Behaviors.same();
        });
    }
}
