package dev.ensemble.core.inspect;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorToken;

/** A test actor whose state has a getter that throws: Jackson cannot serialize it. */
public final class Opaque extends Actor<Opaque.Secret> implements OpaqueActions {
    static final ActorToken<OpaqueActions, Secret> TOKEN = ActorToken.of("opaque", OpaqueActions.class, Secret.class);

    /** A state whose only property throws when read. */
    public static final class Secret {
        public String getValue() {
            throw new IllegalStateException("sealed");
        }

        @Override
        public String toString() {
            return "Secret[sealed]";
        }
    }

    Opaque() {
        super(new Secret());
    }

    @Override
    public void touch() {}
}
