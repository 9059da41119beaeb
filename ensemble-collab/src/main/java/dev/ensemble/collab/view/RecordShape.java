package dev.ensemble.collab.view;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/**
 * How {@link TypedView} builds one record type itself: its components, the JSON key of each (its
 * name), and the canonical constructor. Only plain records qualify: no Jackson annotation on the
 * record or its components, and a mapper without naming strategy or mix-ins, so that what the
 * view builds is what Jackson would build; any other type is left to Jackson.
 */
final class RecordShape {
    enum Kind {
        RECORD,
        TEXT,
        STRING,
        OTHER
    }

    record Component(String name, Method accessor, JavaType type, Kind kind) {}

    final Class<?> type;
    final Component[] components;
    final Constructor<?> constructor;
    final boolean failOnUnknownKeys;

    private RecordShape(Class<?> type, Component[] components, Constructor<?> constructor, boolean failOnUnknownKeys) {
        this.type = type;
        this.components = components;
        this.constructor = constructor;
        this.failOnUnknownKeys = failOnUnknownKeys;
    }

    /** @return the shape of a plain record, or null if Jackson must decode the type */
    static RecordShape of(Class<?> type, ObjectMapper mapper, Map<Class<?>, RecordShape> known) {
        if (known.containsKey(type)) {
            return known.get(type);
        }
        RecordShape shape = null;
        try {
            shape = inspect(type, mapper);
        } catch (RuntimeException | NoSuchMethodException notPlain) {
            // Inaccessible or unusual: Jackson knows how, or reports why not.
        }
        known.put(type, shape);
        return shape;
    }

    private static RecordShape inspect(Class<?> type, ObjectMapper mapper) throws NoSuchMethodException {
        if (!type.isRecord()
                || mapper.getPropertyNamingStrategy() != null
                || mapper.mixInCount() > 0
                || jacksonAnnotated(type)) {
            return null;
        }
        RecordComponent[] parts = type.getRecordComponents();
        Class<?>[] parameterTypes = new Class<?>[parts.length];
        Component[] components = new Component[parts.length];
        for (int i = 0; i < parts.length; i++) {
            RecordComponent part = parts[i];
            if (jacksonAnnotated(part) || jacksonAnnotated(part.getAccessor())) {
                return null;
            }
            parameterTypes[i] = part.getType();
            Method accessor = part.getAccessor();
            accessor.setAccessible(true);
            components[i] = new Component(
                    part.getName(),
                    accessor,
                    mapper.getTypeFactory().constructType(part.getGenericType()),
                    kind(part.getType()));
        }
        Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
        for (Annotation[] annotations : constructor.getParameterAnnotations()) {
            for (Annotation annotation : annotations) {
                if (isJackson(annotation)) {
                    return null;
                }
            }
        }
        if (jacksonAnnotated(constructor)) {
            return null;
        }
        constructor.setAccessible(true);
        return new RecordShape(
                type, components, constructor, mapper.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    }

    private static Kind kind(Class<?> type) {
        if (type == Text.class) {
            return Kind.TEXT;
        } else if (type == String.class) {
            return Kind.STRING;
        } else if (type.isRecord()) {
            return Kind.RECORD;
        }
        return Kind.OTHER;
    }

    private static boolean jacksonAnnotated(AnnotatedElement element) {
        for (Annotation annotation : element.getAnnotations()) {
            if (isJackson(annotation)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isJackson(Annotation annotation) {
        return annotation.annotationType().getName().startsWith("com.fasterxml.jackson.");
    }
}
