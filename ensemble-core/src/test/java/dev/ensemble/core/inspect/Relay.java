package dev.ensemble.core.inspect;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorToken;

/** A test actor that sends to an actor of another system from its turn (a cross-system sender). */
public final class Relay extends Actor<Integer> implements RelayActions {
    static final ActorToken<RelayActions, Integer> TOKEN = ActorToken.of("relay", RelayActions.class, Integer.class);

    private final ActorClient<GaugeActions, GaugeState> target;

    Relay(ActorClient<GaugeActions, GaugeState> target) {
        super(0);
        this.target = target;
    }

    @Override
    public void relay(int value) {
        setState(value);
        target.actions().set(value);
    }
}
