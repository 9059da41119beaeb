package dev.ensemble.collab.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;

/**
 * INTERNAL API: turns versions of a {@link ViewTree} into the user's view type, rebuilding only
 * what changed since the version before.
 *
 * <p>A plain record ({@link RecordShape}) is built here: a component whose subtree is the same
 * node as in the previous version keeps its previous value; a changed record component is built
 * the same way, one level down; a changed {@link Text} component gets the new rope, a changed
 * {@code String} component the text as one string; any other changed component (a list, a map, a
 * number, a type with its own deserializer) is decoded by Jackson from its subtree alone. What
 * Jackson must judge as a whole (a missing or null component, an unknown key while the mapper
 * fails on those, a constructor that throws, a type that is not a plain record) is decoded by
 * Jackson from the whole tree, exactly as a full decode would, so the result and any error are
 * the same as before.
 *
 * <p><em>Not thread-safe</em>: owned by one actor and used in its turns.
 *
 * @param <S> the view type
 */
public final class TypedView<S> {
    private final Class<S> type;
    private final ObjectMapper mapper;
    private final Map<Class<?>, RecordShape> shapes = new HashMap<>();

    /** The last version decoded, and its value; null before the first. */
    private MapObject previousRoot;

    private S previousValue;

    /**
     * @param type the view type
     * @param mapper the mapper of the view, as configured by the user
     */
    public TypedView(Class<S> type, ObjectMapper mapper) {
        this.type = type;
        this.mapper = mapper;
    }

    /**
     * @param snapshot a version of the document
     * @return it as the view type
     * @throws JsonProcessingException if Jackson cannot read the document as the view type
     */
    public S decode(ViewSnapshot snapshot) throws JsonProcessingException {
        MapObject root = snapshot.root();
        if (root == previousRoot) {
            return previousValue;
        }
        S value;
        RecordShape shape = RecordShape.of(type, mapper, shapes);
        Object built = shape == null ? null : buildRecord(shape, root, previousRoot, previousValue);
        if (built != null) {
            value = type.cast(built);
        } else {
            value = mapper.treeToValue(JsonTrees.toJackson(root), type);
        }
        previousRoot = root;
        previousValue = value;
        return value;
    }

    /** @return the record, or null if Jackson must decode it from the whole tree */
    private Object buildRecord(RecordShape shape, MapObject node, MapObject previousNode, Object previous) {
        if (shape.failOnUnknownKeys && node.size() != shape.components.length) {
            return null;
        }
        Object[] arguments = new Object[shape.components.length];
        for (int i = 0; i < arguments.length; i++) {
            RecordShape.Component component = shape.components[i];
            Node child = node.get(component.name());
            if (child == null
                    || (child instanceof Scalar scalar && scalar.value().isNull())) {
                return null;
            }
            Node previousChild = previousNode == null || previous == null ? null : previousNode.get(component.name());
            Object previousPart = previousChild == null ? null : read(component, previous);
            if (child == previousChild) {
                arguments[i] = previousPart;
                continue;
            }
            Object part = buildPart(component, child, previousChild, previousPart);
            if (part == null) {
                return null;
            }
            arguments[i] = part;
        }
        try {
            return shape.constructor.newInstance(arguments);
        } catch (ReflectiveOperationException | RuntimeException refused) {
            return null;
        }
    }

    private Object buildPart(RecordShape.Component component, Node child, Node previousChild, Object previousPart) {
        switch (component.kind()) {
            case TEXT:
                if (child instanceof TextObject text) {
                    return new Text(text.rope());
                }
                break;
            case STRING:
                if (child instanceof TextObject text) {
                    return text.rope().toString();
                }
                break;
            case RECORD:
                RecordShape nested = RecordShape.of(component.type().getRawClass(), mapper, shapes);
                if (nested != null && child instanceof MapObject map) {
                    return buildRecord(
                            nested,
                            map,
                            previousChild instanceof MapObject previousMap ? previousMap : null,
                            previousPart);
                }
                break;
            default:
                break;
        }
        try {
            return mapper.treeToValue(JsonTrees.toJackson(child), component.type());
        } catch (JsonProcessingException | RuntimeException refused) {
            return null;
        }
    }

    private static Object read(RecordShape.Component component, Object record) {
        try {
            return component.accessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the accessor of " + component.name() + " failed", e);
        }
    }
}
