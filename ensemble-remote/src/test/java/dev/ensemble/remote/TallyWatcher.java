package dev.ensemble.remote;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Down;
import java.util.concurrent.CompletableFuture;

/**
 * A local actor that depends on {@link Counter} and knows nothing of where it runs: it follows the
 * counter's state, watches it and asks it, through the ordinary dependency API.
 */
final class TallyWatcher extends Actor<TallyWatcherState> implements TallyWatcherActions {
    static final ActorToken<TallyWatcherActions, TallyWatcherState> TOKEN =
            ActorToken.of("watcher", TallyWatcherActions.class, TallyWatcherState.class);

    TallyWatcher() {
        super(new TallyWatcherState(0, null));
    }

    @Override
    protected void onStart() {
        reactToState(Counter.TOKEN, tally -> setState(new TallyWatcherState(tally.total(), state().down())));
        watch(Counter.TOKEN);
    }

    @Override
    protected void onDown(Down down) {
        setState(new TallyWatcherState(state().seen(), down));
    }

    @Override
    public CompletableFuture<Integer> totalOfTheCounter() {
        return dependency(Counter.TOKEN).actions().total();
    }
}
