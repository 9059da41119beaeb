package dev.ensemble.core.internal.tree;

import dev.ensemble.core.bus.BusMessage;
import dev.ensemble.core.bus.DeadLetter;
import dev.ensemble.core.internal.cell.BusEndpoint;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API: the bus of one namespace: the compiled routing table, from message name to the
 * members that receive it and the namespaces it is forwarded to. Routing runs on the
 * publisher's thread and enqueues at once, so that one publisher's messages reach each handler
 * in order; forwards cannot loop, because the builder rejected every cycle.
 *
 * <p>Threading: thread-safe; the table is set once, before any actor starts.
 */
final class BusRouter implements BusEndpoint {
    /** Where a message of one name goes. */
    sealed interface Target permits Local, Forward {}

    /** To a member of this namespace. */
    record Local(TreeMember member) implements Target {}

    /** On to another namespace, renamed. */
    record Forward(BusRouter router, String name) implements Target {}

    private final String namespace;
    private final DeadLetters deadLetters;
    /** Written once by the builder before the actors start; read by publishers. */
    private volatile Map<String, List<Target>> table = Map.of();

    BusRouter(String namespace, DeadLetters deadLetters) {
        this.namespace = namespace;
        this.deadLetters = deadLetters;
    }

    String namespace() {
        return namespace;
    }

    void table(Map<String, List<Target>> compiled) {
        this.table = Map.copyOf(compiled);
    }

    @Override
    public void publish(String sender, String name, Object data) {
        route(new BusMessage(name, data, sender));
    }

    void route(BusMessage message) {
        List<Target> targets = table.get(message.name());
        if (targets == null) {
            deadLetters.report(
                    new DeadLetter(message, namespace),
                    "no child handles it and the routing table has no entry for it");
            return;
        }
        for (Target target : targets) {
            if (target instanceof Local local) {
                try {
                    local.member().deliver(message);
                } catch (RuntimeException refused) {
                    deadLetters.report(
                            new DeadLetter(message, namespace),
                            local.member().path() + " refused it: " + refused.getMessage());
                }
            } else if (target instanceof Forward forward) {
                forward.router().route(message.renamed(forward.name()));
            }
        }
    }
}
