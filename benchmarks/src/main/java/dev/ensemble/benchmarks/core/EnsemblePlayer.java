package dev.ensemble.benchmarks.core;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorClient;

/** One Ensemble ping-pong player: hits the ball back until the rally ends. */
final class EnsemblePlayer extends Actor<Void> implements BallActions {
    private final Rally rally;
    /** Cached in the first turn, as a Pekko player captures {@code getSelf()} in its setup. */
    private ActorClient<BallActions, Void> self;

    EnsemblePlayer(Rally rally) {
        super(null);
        this.rally = rally;
    }

    @Override
    protected void onStart() {
        self = self();
    }

    @Override
    public void hit(ActorClient<BallActions, ?> from, int remaining) {
        if (remaining == 0) {
            rally.pairFinished();
        } else {
            from.actions().hit(self, remaining - 1);
        }
    }
}
