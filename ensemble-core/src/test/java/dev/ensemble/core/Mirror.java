package dev.ensemble.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A test actor that depends on {@link Counter} and uses every way an actor reaches a dependency:
 * its client, a reaction to its state, and a watch. It knows nothing of where the counter runs.
 */
class Mirror extends Actor<MirrorState> implements MirrorActions {
    static final ActorToken<MirrorActions, MirrorState> TOKEN =
            ActorToken.of("mirror", MirrorActions.class, MirrorState.class);

    /** Where the mirror notes its start and stop, so that tests can check their order. */
    private final List<String> lifecycle;

    Mirror(List<String> lifecycle) {
        super(new MirrorState(0, null));
        this.lifecycle = lifecycle;
    }

    @Override
    protected void onStart() {
        reactToState(Counter.TOKEN, counter -> setState(new MirrorState(counter.count(), state().down())));
        watch(Counter.TOKEN);
        lifecycle.add("mirror started");
    }

    @Override
    protected void onDown(Down down) {
        setState(new MirrorState(state().seen(), down.actor()));
    }

    @Override
    protected void onStop() {
        lifecycle.add("mirror stopped");
    }

    @Override
    public void crash() {
        throw crash(new IllegalStateException("crashed on purpose"));
    }

    @Override
    public CompletableFuture<Long> countOfTheCounter() {
        return dependency(Counter.TOKEN).actions().get();
    }
}
