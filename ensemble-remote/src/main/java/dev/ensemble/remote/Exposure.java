package dev.ensemble.remote;

import dev.ensemble.core.ActorClient;
import dev.ensemble.transport.PeerId;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One actor exposed to other nodes: its local client, its actions by name, and its policy. Or a
 * service of calls only ({@link RemoteActors#exposeService}): no actor, no state, events or end, and
 * actions that are chosen per calling node, so that the service knows who calls.
 */
final class Exposure {
    /** The exposed actor's client; null for a service. */
    final ActorClient<?, ?> client;

    final AccessPolicy policy;
    final Map<String, Method> actions;
    private final String name;
    /** A service's actions for each calling node (null: refused); null for an actor. */
    private final Function<PeerId, ?> perNode;

    Exposure(ActorClient<?, ?> client, AccessPolicy policy) {
        this.client = client;
        this.policy = policy;
        this.actions = actionsByName(client.token().actions());
        this.name = client.token().name();
        this.perNode = null;
    }

    Exposure(String name, Class<?> actions, AccessPolicy policy, Function<PeerId, ?> perNode) {
        this.client = null;
        this.policy = policy;
        this.actions = actionsByName(actions);
        this.name = name;
        this.perNode = perNode;
    }

    String name() {
        return name;
    }

    /** @return whether this is a service of calls only (no state, events or end) */
    boolean isService() {
        return client == null;
    }

    /**
     * @param caller the verified calling node
     * @return what its call runs on: the actor's actions, or the service's actions for that node;
     *     null if the service refuses the node
     */
    Object actionsFor(PeerId caller) {
        return perNode == null ? client.actions() : perNode.apply(caller);
    }

    /**
     * The wire names an action by its method name only, so overloads cannot be told apart.
     *
     * @throws IllegalArgumentException naming an overloaded action
     */
    static Map<String, Method> actionsByName(Class<?> actions) {
        Map<String, Method> byName = new TreeMap<>();
        for (Method method : actions.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Class<?> returns = method.getReturnType();
            if (returns != void.class && returns != CompletableFuture.class && returns != CompletionStage.class) {
                continue;
            }
            Method other = byName.put(method.getName(), method);
            if (other != null) {
                throw new IllegalArgumentException("action " + actions.getSimpleName() + "." + method.getName()
                        + "() is overloaded; a remote call names an action by its name only, so give each"
                        + " overload its own name");
            }
            try {
                method.setAccessible(true);
            } catch (RuntimeException ignored) {
                // A public interface needs no access override; a non-public one already failed its
                // registration in the actor system.
            }
        }
        return Map.copyOf(byName);
    }
}
