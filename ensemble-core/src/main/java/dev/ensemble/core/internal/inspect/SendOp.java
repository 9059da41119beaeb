package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.ActorStoppedException;
import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.invoke.ActionTable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * INTERNAL API: the {@code send} operation: finds the action by name (and, among overloads, by
 * the number of arguments), converts each JSON argument to its parameter's type with Jackson, and
 * calls it through the actor's own client, so a send is exactly a tell or an ask of any caller
 * (mailbox limits, the system's ask timeout). An ask's reply comes later, on whatever thread
 * completes it.
 */
final class SendOp {
    private SendOp() {}

    /**
     * @param done receives the result object, or an {@link InspectError}
     * @throws InspectError for what is wrong before anything is sent
     */
    static void send(InspectModel model, Request request, Consumer<Object> done) {
        InspectModel.Node node = model.resolve(request.path(null));
        ActorCell<?> cell = ReadOps.actor(node, "send");
        String path = node.path();
        String name = request.requiredString("action");
        JsonNode args = request.array("args");
        int count = args == null ? 0 : args.size();
        List<ActionTable.Action> named = new ArrayList<>();
        for (ActionTable.Action action : cell.actionTable().all()) {
            if (action.name().equals(name)) {
                named.add(action);
            }
        }
        if (named.isEmpty()) {
            List<String> names = new ArrayList<>();
            cell.actionTable().all().forEach(action -> {
                if (!names.contains(action.name())) {
                    names.add(action.name());
                }
            });
            throw new InspectError(
                    InspectError.NO_SUCH_ACTION,
                    "actor " + path + " has no action \"" + name + "\" (its actions: " + names + ")");
        }
        ActionTable.Action action = null;
        for (ActionTable.Action candidate : named) {
            if (candidate.method().getParameterCount() == count) {
                action = candidate;
                break;
            }
        }
        if (action == null) {
            List<String> signatures = new ArrayList<>();
            named.forEach(candidate -> signatures.add(signature(candidate)));
            throw new InspectError(
                    InspectError.BAD_ARGUMENT,
                    "action " + name + " of " + path + " takes " + String.join(" or ", signatures) + ", but got "
                            + count + " argument" + (count == 1 ? "" : "s"));
        }
        Object[] values = convert(action, args);
        Object proxy = cell.client().actions();
        Object returned;
        try {
            returned = action.method().invoke(proxy, values);
        } catch (InvocationTargetException e) {
            throw failure(e.getCause(), path, name);
        } catch (IllegalAccessException e) {
            throw new InspectError(InspectError.FAILED, e.toString());
        }
        ObjectNode result = Json.object();
        result.put("path", path);
        result.put("action", name);
        result.put("kind", action.ask() ? "ask" : "tell");
        if (!action.ask()) {
            result.putNull("reply");
            done.accept(result);
            return;
        }
        ((CompletableFuture<?>) returned).whenComplete((value, error) -> {
            if (error != null) {
                done.accept(failure(error, path, name));
                return;
            }
            StateJson.Result json = StateJson.of(value);
            result.set("reply", json.json());
            if (json.error() != null) {
                result.put("replyError", json.error());
            }
            done.accept(result);
        });
    }

    private static Object[] convert(ActionTable.Action action, JsonNode args) {
        Parameter[] parameters = action.method().getParameters();
        Object[] values = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            JsonNode arg = args.get(i);
            JavaType type = Json.MAPPER.getTypeFactory().constructType(parameters[i].getParameterizedType());
            try {
                values[i] = Json.MAPPER.treeToValue(arg, type);
            } catch (Exception | Error e) {
                throw badArgument(parameters[i], arg, e);
            }
            if (values[i] == null && parameters[i].getType().isPrimitive()) {
                throw badArgument(parameters[i], arg, null);
            }
        }
        return values;
    }

    private static InspectError badArgument(Parameter parameter, JsonNode arg, Throwable why) {
        return new InspectError(
                InspectError.BAD_ARGUMENT,
                "parameter " + parameter.getName() + ": " + Json.cut(arg.toString(), 80) + " does not convert to "
                        + ReadOps.typeName(parameter.getParameterizedType())
                        + (why == null ? "" : " (" + Json.cut(firstLine(why.getMessage()), 160) + ")"));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String signature(ActionTable.Action action) {
        List<String> params = new ArrayList<>();
        for (Parameter parameter : action.method().getParameters()) {
            params.add(ReadOps.typeName(parameter.getParameterizedType()) + " " + parameter.getName());
        }
        return "(" + String.join(", ", params) + ")";
    }

    /** @return the protocol error for what a send's call or answer failed with */
    static InspectError failure(Throwable error, String path, String action) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ActorStoppedException) {
            return new InspectError(InspectError.UNAVAILABLE, "actor " + path + " is stopped: " + cause.getMessage());
        }
        if (cause instanceof TimeoutException) {
            return new InspectError(InspectError.TIMEOUT, String.valueOf(cause.getMessage()));
        }
        return new InspectError(
                InspectError.FAILED,
                cause.getClass().getName() + ": " + Json.cut(String.valueOf(cause.getMessage()), 300));
    }
}
