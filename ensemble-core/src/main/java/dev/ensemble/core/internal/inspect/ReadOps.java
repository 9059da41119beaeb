package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.inspect.InspectableNamespace;
import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.invoke.ActionTable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * INTERNAL API: the operations that only read: {@code ls}, {@code tree}, {@code cat},
 * {@code actions}, {@code top}. Each takes a snapshot {@link InspectModel} and returns the
 * protocol's result object, or throws {@link InspectError}. Stateless; any thread.
 */
final class ReadOps {
    private ReadOps() {}

    static ObjectNode ls(InspectModel model, Request request, EntryJson entries) {
        InspectModel.Node node = model.resolve(request.path(null));
        boolean full = request.bool("long", false);
        ObjectNode result = Json.object();
        result.put("path", node.path());
        ArrayNode list = result.putArray("entries");
        for (InspectModel.Node child : node.children()) {
            list.add(entries.entry(child, full));
        }
        return result;
    }

    static ObjectNode tree(InspectModel model, Request request) {
        InspectModel.Node node = model.resolve(request.path("/"));
        ObjectNode result = Json.object();
        result.put("path", node.path());
        result.set("root", treeNode(node));
        return result;
    }

    private static ObjectNode treeNode(InspectModel.Node node) {
        ObjectNode json = Json.object();
        json.put("name", node.name());
        json.put("path", node.path());
        json.put("kind", node.kind().wire());
        ArrayNode children = json.putArray("children");
        for (InspectModel.Node child : node.children()) {
            children.add(treeNode(child));
        }
        return json;
    }

    static ObjectNode cat(InspectModel model, Request request) {
        InspectModel.Node node = model.resolve(request.path(null));
        Object state;
        String type;
        if (node.kind() == InspectModel.Kind.ACTOR) {
            state = node.cell().stateForInspection();
            type = node.cell().instanceType();
        } else if (node.namespace() != null) {
            InspectableNamespace namespace = node.namespace();
            state = namespace.state();
            type = typeOf(namespace);
        } else {
            throw notAnActor(node, "cat");
        }
        ObjectNode result = Json.object();
        result.put("path", node.path());
        result.put("type", type);
        StateJson.Result json = StateJson.of(state);
        result.set("state", json.json());
        if (json.error() != null) {
            result.put("stateError", json.error());
        }
        return result;
    }

    /** @return the type a namespace shows: its class, or {@code ActorSystem} at a mounted system */
    static String typeOf(InspectableNamespace namespace) {
        return namespace instanceof MountedSystem
                ? MountedSystem.TYPE
                : namespace.getClass().getSimpleName();
    }

    static ObjectNode actions(InspectModel model, Request request) {
        InspectModel.Node node = model.resolve(request.path(null));
        ActorCell<?> cell = actor(node, "actions");
        ObjectNode result = Json.object();
        result.put("path", node.path());
        ArrayNode list = result.putArray("actions");
        for (ActionTable.Action action : cell.actionTable().all()) {
            list.add(describe(action));
        }
        return result;
    }

    static ObjectNode describe(ActionTable.Action action) {
        Method method = action.method();
        ObjectNode json = Json.object();
        json.put("name", action.name());
        json.put("kind", action.ask() ? "ask" : "tell");
        ArrayNode params = json.putArray("params");
        for (Parameter parameter : method.getParameters()) {
            ObjectNode param = params.addObject();
            param.put("name", parameter.getName());
            param.put("type", typeName(parameter.getParameterizedType()));
        }
        json.put("returns", action.ask() ? typeName(answerType(method)) : "void");
        return json;
    }

    /** @return X of {@code CompletableFuture<X>}, or Object if raw */
    private static Type answerType(Method method) {
        Type returns = method.getGenericReturnType();
        if (returns instanceof ParameterizedType parameterized) {
            return parameterized.getActualTypeArguments()[0];
        }
        return Object.class;
    }

    /** A type as Java source writes it, without package names: {@code List<String>}. */
    static String typeName(Type type) {
        if (type instanceof Class<?> c) {
            return c.isArray() ? typeName(c.getComponentType()) + "[]" : c.getSimpleName();
        }
        String name = type.getTypeName();
        return name.replaceAll("\\b[a-z][a-z0-9_]*\\.", "").replaceAll("\\b[A-Z][A-Za-z0-9_]*\\$", "");
    }

    static ObjectNode top(InspectModel model, Request request, EntryJson entries) {
        int n = (int) request.integer("n", 10, 1, 1000);
        List<InspectModel.Node> actors = new ArrayList<>(model.actors());
        actors.sort(Comparator.comparingInt((InspectModel.Node a) -> a.cell().mailboxSize())
                .reversed()
                .thenComparing(Comparator.comparingDouble((InspectModel.Node a) -> entries.rate1s(a.cell()))
                        .reversed())
                .thenComparing(InspectModel.Node::path));
        ObjectNode result = Json.object();
        result.put("time", Instant.now().toString());
        ArrayNode list = result.putArray("actors");
        for (int i = 0; i < actors.size() && i < n; i++) {
            list.add(entries.entry(actors.get(i), true));
        }
        return result;
    }

    /** @return the node's cell, or the error a namespace gets where an op needs an actor */
    static ActorCell<?> actor(InspectModel.Node node, String op) {
        if (node.kind() != InspectModel.Kind.ACTOR) {
            throw notAnActor(node, op);
        }
        return node.cell();
    }

    private static InspectError notAnActor(InspectModel.Node node, String op) {
        return new InspectError(
                InspectError.NOT_AN_ACTOR,
                node.path() + " is a " + node.kind().wire() + ", not an actor: " + op + " needs an actor");
    }
}
