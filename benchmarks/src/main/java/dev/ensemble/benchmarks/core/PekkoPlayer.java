package dev.ensemble.benchmarks.core;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** One Pekko typed ping-pong player, the same protocol as {@link EnsemblePlayer}. */
final class PekkoPlayer {
    /** The ball: who to hit it back to, and how many hits follow. */
    record Ball(ActorRef<Ball> from, int remaining) {}

    private PekkoPlayer() {}

    static Behavior<Ball> create(Rally rally) {
        return Behaviors.setup(context -> {
            ActorRef<Ball> self = context.getSelf();
            return Behaviors.receiveMessage(ball -> {
                if (ball.remaining() == 0) {
                    rally.pairFinished();
                } else {
                    ball.from().tell(new Ball(self, ball.remaining() - 1));
                }
                return Behaviors.same();
            });
        });
    }
}
