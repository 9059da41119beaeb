package dev.ensemble.remote.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One encoded value inside a frame: the name under which its type is registered on both nodes and
 * its CBOR bytes. The wire does not interpret either; {@link #NULL} (empty name, no bytes) stands
 * for Java's {@code null}.
 *
 * <p>Immutable; the payload array is not copied, so do not modify it after handing it over.
 *
 * @param type the registered type name, 1 to {@value FrameCodec#MAX_NAME_BYTES} bytes of UTF-8, or
 *     empty for {@code null}
 * @param payload the CBOR encoding of the value; empty when {@code type} is empty
 */
public record WireValue(String type, byte[] payload) {
    /** The encoding of {@code null}. */
    public static final WireValue NULL = new WireValue("", new byte[0]);

    /**
     * Validates the fields.
     *
     * @param type the type name, or empty for null
     * @param payload the CBOR bytes
     */
    public WireValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (type.isEmpty() && payload.length != 0) {
            throw new IllegalArgumentException(
                    "a null value (empty type name) carries no payload, but " + payload.length + " bytes were given");
        }
    }

    /** @return true for the encoding of {@code null} */
    public boolean isNull() {
        return type.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WireValue that && type.equals(that.type) && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return isNull() ? "null" : type + ":" + HexFormat.of().formatHex(payload);
    }
}
