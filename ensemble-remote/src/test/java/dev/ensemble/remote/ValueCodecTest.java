package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.ensemble.remote.wire.WireValue;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
    private final ValueCodec codec = new ValueCodec(SimNodes.TYPES);

    /** A registered type with a field that names its own class on the wire, if Jackson let it. */
    public record Holder(
            @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object inside) {}

    public static List<Note> notes() {
        return null;
    }

    @Test
    void registeredAndBuiltInValuesRoundTrip() throws Exception {
        Note note = new Note("c", 1, List.of(60, 64));
        WireValue wire = codec.encode(note);
        assertEquals("note", wire.type());
        assertEquals(note, codec.decode(wire, Note.class));
        assertEquals(7, codec.decode(codec.encode(7), int.class));
        assertEquals("x", codec.decode(codec.encode("x"), Object.class));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) codec.decode(codec.encode(new byte[] {1, 2}), byte[].class));
        assertNull(codec.decode(codec.encode(null), Note.class));
        assertEquals(WireValue.NULL, codec.encode(null));
    }

    @Test
    void aCollectionIsDecodedAsTheReceiverDeclaresIt() throws Exception {
        Type declared = ValueCodecTest.class.getMethod("notes").getGenericReturnType();
        WireValue wire = codec.encode(List.of(new Note("a", 1, List.of())));
        assertEquals("list", wire.type());
        @SuppressWarnings("unchecked")
        List<Object> typed = (List<Object>) codec.decode(wire, declared);
        assertInstanceOf(Note.class, typed.get(0));
        @SuppressWarnings("unchecked")
        List<Object> untyped = (List<Object>) codec.decode(wire, Object.class);
        assertInstanceOf(Map.class, untyped.get(0), "without a declared type, elements stay plain data");
    }

    @Test
    void anUnregisteredTypeIsNamedBothWays() {
        ValueException encode = assertThrows(ValueException.class, () -> codec.encode(new Counter.Unregistered()));
        assertEquals(Counter.Unregistered.class.getName(), encode.type());
        ValueException decode = assertThrows(
                ValueException.class,
                () -> codec.decode(new WireValue("java.lang.ProcessBuilder", new byte[] {(byte) 0xA0}), Object.class));
        assertEquals(
                "type \"java.lang.ProcessBuilder\" is not registered on this node (register it with the same name on"
                        + " both nodes)",
                decode.getMessage());
    }

    @Test
    void aRegisteredTypeWhereAnotherIsExpectedIsRefused() throws Exception {
        WireValue text = codec.encode("text");
        ValueException error = assertThrows(ValueException.class, () -> codec.decode(text, Note.class));
        assertTrue(error.getMessage().contains("where dev.ensemble.remote.Note is expected"), error.getMessage());
        ValueException primitive = assertThrows(ValueException.class, () -> codec.decode(WireValue.NULL, int.class));
        assertEquals("null where a primitive int is expected", primitive.getMessage());
    }

    @Test
    void classNamesInsideAValueAreNeverFollowed() throws Exception {
        ValueCodec withHolder = new ValueCodec(
                TypeRegistry.builder().register("holder", Holder.class).build());
        byte[] gadget = new CBORMapper().writeValueAsBytes(new Holder(new StringBuilder("x")));
        ValueException error = assertThrows(
                ValueException.class, () -> withHolder.decode(new WireValue("holder", gadget), Holder.class));
        assertTrue(error.getMessage().startsWith("cannot decode a value of type \"holder\""), error.getMessage());
        assertTrue(error.getMessage().contains("denied resolution"), error.getMessage());
    }

    @Test
    void deepNestingIsRefusedBeforeItCostsStack() {
        byte[] deep = new byte[10_000];
        java.util.Arrays.fill(deep, (byte) 0x81); // arrays of one element, nested
        ValueException error =
                assertThrows(ValueException.class, () -> codec.decode(new WireValue("list", deep), Object.class));
        assertTrue(error.getMessage().contains("nesting depth"), error.getMessage());
    }

    @Test
    void theRegistryRefusesAmbiguousNamesAndAbstractTypes() {
        IllegalArgumentException taken = assertThrows(
                IllegalArgumentException.class, () -> TypeRegistry.builder().register("int", Note.class));
        assertTrue(taken.getMessage().contains("a built-in name"), taken.getMessage());
        IllegalArgumentException twice = assertThrows(
                IllegalArgumentException.class,
                () -> TypeRegistry.builder().register("a", Note.class).register("b", Note.class));
        assertTrue(twice.getMessage().contains("already registered as \"a\""), twice.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> TypeRegistry.builder().register(Runnable.class));
    }
}
