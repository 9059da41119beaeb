package dev.ensemble.core.bus;

import java.util.Objects;

/** Where a routing table sends a message of one name: to a child, or on to another namespace. */
public sealed interface Route permits Route.ToChild, Route.Forward {
    /**
     * To a child of the supervisor that owns the table: a worker (which must offer
     * {@link BusReceiver}), a pool (one of its replicas) or a supervisor (routed again there).
     *
     * @param child the child's name
     */
    record ToChild(String child) implements Route {
        /** @param child not null */
        public ToChild {
            Objects.requireNonNull(child, "child");
        }
    }

    /**
     * To another namespace, under another name: routed there by that namespace's own rules.
     *
     * @param namespace the target's absolute path ({@code /file})
     * @param name the message's name there ({@code read})
     */
    record Forward(String namespace, String name) implements Route {
        /**
         * @param namespace not null
         * @param name not null
         */
        public Forward {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }
    }
}
