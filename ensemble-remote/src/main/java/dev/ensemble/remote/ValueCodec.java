package dev.ensemble.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.ensemble.remote.wire.WireValue;
import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;

/**
 * Turns values into {@link WireValue}s and back with Jackson's CBOR format, admitting only the types
 * of a {@link TypeRegistry}. What a value decodes to is decided here, by the registry and the type
 * the receiver expects, never by the bytes: the mapper has no default typing and a polymorphic type
 * validator that allows no class name, so even a class annotated for class-name typing cannot be
 * used as a gadget.
 *
 * <p>Thread-safe (Jackson mappers are).
 */
final class ValueCodec {
    /** Deeper nesting than this is refused while parsing, before it costs stack. */
    static final int MAX_NESTING_DEPTH = 64;

    private final TypeRegistry types;
    private final CBORMapper mapper;

    ValueCodec(TypeRegistry types) {
        this.types = types;
        CBORFactory factory = CBORFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build())
                .build();
        this.mapper = CBORMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .polymorphicTypeValidator(
                        BasicPolymorphicTypeValidator.builder().build())
                .build();
    }

    TypeRegistry types() {
        return types;
    }

    /**
     * @param value any value
     * @return its encoding
     * @throws ValueException naming the type when it is not registered or Jackson cannot write it
     */
    WireValue encode(Object value) throws ValueException {
        if (value == null) {
            return WireValue.NULL;
        }
        Class<?> type = value.getClass();
        String name = types.nameOf(type);
        if (name == null) {
            throw new ValueException(
                    type.getName(),
                    "type " + type.getName() + " is not registered on this node: list it with"
                            + " TypeRegistry.builder().register(" + type.getSimpleName() + ".class) on both nodes",
                    null);
        }
        if (value instanceof Integer i) {
            return new WireValue(name, cborInt(i));
        }
        try {
            return new WireValue(name, mapper.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new ValueException(
                    type.getName(),
                    "cannot encode a value of type " + type.getName() + ": " + e.getOriginalMessage(),
                    e);
        }
    }

    /**
     * @param value an encoded value from the wire
     * @param expected the type the receiver declares (a parameter, a result, a state type), or
     *     {@code Object.class} for anything registered
     * @return the decoded value, an instance of {@code expected}'s raw class (or null)
     * @throws ValueException naming the type when the name is not registered, does not fit the
     *     expected type, or the bytes do not decode
     */
    Object decode(WireValue value, Type expected) throws ValueException {
        Class<?> raw = box(rawClass(expected));
        if (value.isNull()) {
            if (rawClass(expected).isPrimitive()) {
                throw new ValueException(
                        raw.getName(),
                        "null where a primitive " + rawClass(expected).getName() + " is expected",
                        null);
            }
            return null;
        }
        Class<?> type = types.classOf(value.type());
        if (type == null) {
            throw new ValueException(
                    value.type(),
                    "type \"" + value.type() + "\" is not registered on this node (register it with the same name on"
                            + " both nodes)",
                    null);
        }
        if (!raw.isAssignableFrom(type)) {
            throw new ValueException(
                    value.type(),
                    "a value of type \"" + value.type() + "\" (" + type.getName() + ") where " + expected.getTypeName()
                            + " is expected",
                    null);
        }
        if (type == Integer.class) {
            Integer fast = integerOrNull(value.payload());
            if (fast != null) {
                return fast;
            }
        }
        // The declared generic type says what the elements and fields are; the wire only chose
        // among registered classes.
        JavaType target = type == raw && expected instanceof ParameterizedType
                ? mapper.getTypeFactory().constructType(expected)
                : mapper.getTypeFactory().constructType(type);
        try {
            return mapper.readValue(value.payload(), target);
        } catch (IOException | RuntimeException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
            throw new ValueException(
                    value.type(),
                    "cannot decode a value of type \"" + value.type() + "\" as " + target + ": " + why,
                    e);
        }
    }

    /**
     * An int as Jackson's CBOR generator writes it (RFC 8949 preferred serialization: the shortest
     * head), without a generator: a generator and a parser per value were most of the cost of a
     * small call on both nodes (JFR, {@code benchmarks/run remote}). {@code IntegerFastPathTest}
     * checks that the bytes are Jackson's.
     */
    static byte[] cborInt(int value) {
        int major = value < 0 ? 0x20 : 0x00;
        long magnitude = value < 0 ? -1L - value : value;
        if (magnitude < 24) {
            return new byte[] {(byte) (major | magnitude)};
        }
        if (magnitude <= 0xFF) {
            return new byte[] {(byte) (major | 24), (byte) magnitude};
        }
        if (magnitude <= 0xFFFF) {
            return new byte[] {(byte) (major | 25), (byte) (magnitude >>> 8), (byte) magnitude};
        }
        return new byte[] {
            (byte) (major | 26),
            (byte) (magnitude >>> 24),
            (byte) (magnitude >>> 16),
            (byte) (magnitude >>> 8),
            (byte) magnitude
        };
    }

    /**
     * The int that {@code payload} is, if it is exactly one CBOR integer head (any length of head)
     * whose value fits an int; otherwise null, and Jackson decodes it (or says why it cannot), so
     * that nothing is accepted here that Jackson would refuse.
     */
    static Integer integerOrNull(byte[] payload) {
        if (payload.length == 0) {
            return null;
        }
        int head = payload[0] & 0xFF;
        int major = head & 0xE0;
        int info = head & 0x1F;
        if (major != 0x00 && major != 0x20) {
            return null;
        }
        int extra = info < 24 ? 0 : info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : -1;
        if (extra < 0 || payload.length != 1 + extra) {
            return null;
        }
        long magnitude = info < 24 ? info : 0;
        for (int i = 1; i <= extra; i++) {
            magnitude = (magnitude << 8) | (payload[i] & 0xFF);
        }
        long value = major == 0x00 ? magnitude : -1L - magnitude;
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            return null;
        }
        return (int) value;
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return rawClass(p.getRawType());
        }
        if (type instanceof GenericArrayType) {
            return Object[].class;
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        return Object.class;
    }

    static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        if (type == byte.class) {
            return Byte.class;
        }
        if (type == char.class) {
            return Character.class;
        }
        return Void.class;
    }
}
