package dev.ensemble.remote;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The allow-list of types that may cross the wire as arguments, results, state and event payloads,
 * each under a name that both nodes agree on. A value whose type is not listed is never encoded,
 * and a name that is not listed is never decoded: nothing on the wire can make a node instantiate
 * a class it did not register (no Jackson default typing, no Java serialization).
 *
 * <h2>What is listed</h2>
 *
 * Always, under fixed names: {@code string}, {@code boolean}, {@code byte}, {@code short}, {@code
 * int}, {@code long}, {@code float}, {@code double} (the boxed types, and so the primitives), {@code
 * bytes} ({@code byte[]}), and {@code list}, {@code set}, {@code map} for any {@link List}, {@link
 * Set} or {@link Map}. Elements of collections and fields of registered records are decoded as the
 * receiving method, record or token declares them, never as the sender says. Everything else is
 * registered by the application: records, enums and plain Jackson-mappable classes, by default
 * under their class name.
 *
 * <pre>{@code
 * TypeRegistry types = TypeRegistry.builder()
 *     .register(Note.class)                  // as "com.example.Note"
 *     .register("piano.settings", Settings.class)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Both nodes must register a type under the same name.
 */
public final class TypeRegistry {
    /** The built-in names, which an application cannot take. */
    private static final Map<String, Class<?>> BUILT_IN;

    static {
        Map<String, Class<?>> builtIn = new LinkedHashMap<>();
        builtIn.put("string", String.class);
        builtIn.put("boolean", Boolean.class);
        builtIn.put("byte", Byte.class);
        builtIn.put("short", Short.class);
        builtIn.put("int", Integer.class);
        builtIn.put("long", Long.class);
        builtIn.put("float", Float.class);
        builtIn.put("double", Double.class);
        builtIn.put("bytes", byte[].class);
        builtIn.put("list", List.class);
        builtIn.put("set", Set.class);
        builtIn.put("map", Map.class);
        BUILT_IN = Collections.unmodifiableMap(builtIn);
    }

    private final Map<String, Class<?>> byName;
    private final Map<Class<?>, String> byClass;

    private TypeRegistry(Map<String, Class<?>> byName) {
        this.byName = Map.copyOf(byName);
        Map<Class<?>, String> inverse = new HashMap<>();
        byName.forEach((name, type) -> inverse.put(type, name));
        this.byClass = Map.copyOf(inverse);
    }

    /** @return a registry of the built-in types only */
    public static TypeRegistry builtIn() {
        return builder().build();
    }

    /** @return a builder that starts with the built-in types */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param name a type name from the wire
     * @return the registered class, or null if the name is not listed
     */
    Class<?> classOf(String name) {
        return byName.get(name);
    }

    /**
     * @param type a value's runtime class
     * @return its wire name, or null if neither it nor (for collections) its collection kind is
     *     listed
     */
    String nameOf(Class<?> type) {
        String name = byClass.get(type);
        if (name != null) {
            return name;
        }
        if (List.class.isAssignableFrom(type)) {
            return "list";
        }
        if (Set.class.isAssignableFrom(type)) {
            return "set";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "map";
        }
        return null;
    }

    /** @return every listed name with its class, built-in ones included */
    public Map<String, Class<?>> types() {
        return byName;
    }

    @Override
    public String toString() {
        return "TypeRegistry" + byName.keySet();
    }

    /** Collects the types; not thread-safe. */
    public static final class Builder {
        private final Map<String, Class<?>> byName = new LinkedHashMap<>(BUILT_IN);

        private Builder() {}

        /**
         * Lists a type under its class name.
         *
         * @param type a record, enum or Jackson-mappable class
         * @return this builder
         * @throws IllegalArgumentException if the type is already listed under another name, or is
         *     an interface, an abstract class or a primitive
         */
        public Builder register(Class<?> type) {
            return register(Objects.requireNonNull(type, "type").getName(), type);
        }

        /**
         * Lists a type under a name of your choice, the same on every node.
         *
         * @param name 1 to 255 UTF-8 bytes, not a built-in name
         * @param type a record, enum or Jackson-mappable class
         * @return this builder
         * @throws IllegalArgumentException if the name is taken, or the type is unfit (see {@link
         *     #register(Class)})
         */
        public Builder register(String name, Class<?> type) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("a type name must have 1 to 255 UTF-8 bytes, \"" + name + "\" for "
                        + type.getName() + " has not");
            }
            if (type.isInterface()
                    || type.isPrimitive()
                    || java.lang.reflect.Modifier.isAbstract(type.getModifiers()) && !type.isArray()) {
                throw new IllegalArgumentException("cannot register " + type.getName()
                        + ": register the concrete classes whose instances cross the wire, not an interface, an"
                        + " abstract class or a primitive");
            }
            Class<?> existing = byName.get(name);
            if (existing != null && existing != type) {
                throw new IllegalArgumentException(
                        "type name \"" + name + "\" is already taken by " + existing.getName()
                                + (BUILT_IN.containsKey(name) ? " (a built-in name)" : "") + "; cannot register "
                                + type.getName() + " under it");
            }
            for (Map.Entry<String, Class<?>> entry : byName.entrySet()) {
                if (entry.getValue() == type && !entry.getKey().equals(name)) {
                    throw new IllegalArgumentException(type.getName() + " is already registered as \"" + entry.getKey()
                            + "\"; a type has one name");
                }
            }
            byName.put(name, type);
            return this;
        }

        /** @return the registry */
        public TypeRegistry build() {
            return new TypeRegistry(byName);
        }
    }
}
