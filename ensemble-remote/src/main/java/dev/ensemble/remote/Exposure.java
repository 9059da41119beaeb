package dev.ensemble.remote;

import dev.ensemble.core.ActorClient;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One actor exposed to other nodes: its local client, its actions by name, and its policy. */
final class Exposure {
    final ActorClient<?, ?> client;
    final AccessPolicy policy;
    final Map<String, Method> actions;

    Exposure(ActorClient<?, ?> client, AccessPolicy policy) {
        this.client = client;
        this.policy = policy;
        this.actions = actionsByName(client.token().actions());
    }

    String name() {
        return client.token().name();
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
