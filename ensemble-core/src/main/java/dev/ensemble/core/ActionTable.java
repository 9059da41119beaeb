package dev.ensemble.core;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The validated methods of an actions interface, each classified as a tell or an ask. Built once
 * per interface; immutable afterwards.
 */
final class ActionTable {
    private static final ClassValue<ActionTable> TABLES = new ClassValue<>() {
        @Override
        protected ActionTable computeValue(Class<?> type) {
            return new ActionTable(type);
        }
    };

    private final Class<?> actions;
    private final Map<Method, Boolean> isAsk;

    private ActionTable(Class<?> actions) {
        this.actions = actions;
        Map<Method, Boolean> kinds = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Method method : actions.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Class<?> returns = method.getReturnType();
            if (returns == void.class) {
                kinds.put(method, Boolean.FALSE);
            } else if (returns == CompletableFuture.class || returns == CompletionStage.class) {
                kinds.put(method, Boolean.TRUE);
            } else {
                problems.add(describe(method) + " returns " + returns.getSimpleName());
            }
            try {
                method.setAccessible(true);
            } catch (RuntimeException inaccessible) {
                problems.add(describe(method) + " is not accessible: " + inaccessible.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("unsupported action signature in " + actions.getName() + ": "
                    + String.join("; ", problems)
                    + " (an action must return void for a tell, or CompletableFuture/CompletionStage for an ask)");
        }
        this.isAsk = Map.copyOf(kinds);
    }

    /**
     * @throws IllegalArgumentException naming every unsupported method
     */
    static ActionTable of(Class<?> actions) {
        return TABLES.get(actions);
    }

    Class<?> actions() {
        return actions;
    }

    /** @return true for an ask, false for a tell; null if the method is not an action */
    Boolean isAsk(Method method) {
        return isAsk.get(method);
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
    }
}
