package dev.ensemble.core.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Request lines in, requests or protocol errors out: no session, no threads. */
class RequestParserTest {
    @Test
    void parsesIdOpAndFieldsWithDefaults() {
        Request request = RequestParser.parse("{\"id\":7,\"op\":\"trace\",\"path\":\"/piano\",\"max\":5}");
        assertEquals(7, request.id());
        assertEquals("trace", request.op());
        assertEquals("/piano", request.path("/"));
        assertEquals(5, request.integer("max", 100, 1, 100_000));
        assertEquals(10, request.integer("seconds", 10, 1, 3_600));
        assertEquals(false, request.bool("long", false));
    }

    @Test
    void aLineThatIsNotARequestFailsWithoutAnId() {
        assertEquals("bad-request", failure("{nope").error().code());
        assertNull(failure("{nope").id());
        assertEquals(
                "a request must be a JSON object, but was [1]",
                failure("[1]").error().getMessage());
        assertEquals(
                "field \"id\" must be a non-negative integer, but was missing",
                failure("{\"op\":\"ls\"}").error().getMessage());
        assertEquals(
                "field \"id\" must be a non-negative integer, but was \"7\"",
                failure("{\"id\":\"7\",\"op\":\"ls\"}").error().getMessage());
        assertEquals(
                "field \"id\" must be a non-negative integer, but was 1.5",
                failure("{\"id\":1.5,\"op\":\"ls\"}").error().getMessage());
    }

    @Test
    void anUnknownOrMissingOpFailsWithTheId() {
        RequestParser.Failure unknown = failure("{\"id\":3,\"op\":\"rm\"}");
        assertEquals(3L, unknown.id());
        assertEquals(
                "unknown op \"rm\" (expected one of [actions, cancel, cat, history, ls, send, top, trace, tree, watch])",
                unknown.error().getMessage());
        assertEquals(
                "field \"op\" must be a string, but was missing",
                failure("{\"id\":3}").error().getMessage());
    }

    @Test
    void aLineAboveOneMebibyteIsTooLargeAndTheNextStillParses() {
        String huge = "{\"id\":1,\"op\":\"ls\",\"path\":\"/" + "é".repeat(600_000) + "\"}";
        assertEquals("too-large", failure(huge).error().code());
        assertEquals(1L, failure(huge).id(), "the id is read from the line's start");
        assertEquals(4L, failure("{\"id\":4,\"op\":\"ls\",").id());
        assertNull(failure("{\"op\":\"ls\",\"id\":4,").id());
        assertEquals(2, RequestParser.parse("{\"id\":2,\"op\":\"ls\"}").id());
    }

    @Test
    void fieldsOfTheWrongTypeOrOutOfRangeAreNamed() {
        Request request = RequestParser.parse("{\"id\":1,\"op\":\"ls\",\"path\":3,\"long\":1,\"max\":0,\"args\":{}}");
        assertEquals(
                "field \"path\" must be a string, but was 3",
                assertThrows(InspectError.class, () -> request.path("/")).getMessage());
        assertEquals(
                "field \"long\" must be true or false, but was 1",
                assertThrows(InspectError.class, () -> request.bool("long", false))
                        .getMessage());
        assertEquals(
                "field \"max\" must be between 1 and 100000, but was 0",
                assertThrows(InspectError.class, () -> request.integer("max", 100, 1, 100_000))
                        .getMessage());
        assertEquals(
                "field \"args\" must be an array, but was {}",
                assertThrows(InspectError.class, () -> request.array("args")).getMessage());
        Request relative = RequestParser.parse("{\"id\":1,\"op\":\"ls\",\"path\":\"piano\"}");
        assertEquals(
                "bad-request",
                assertThrows(InspectError.class, () -> relative.path(null)).code());
    }

    private static RequestParser.Failure failure(String line) {
        return assertThrows(RequestParser.Failure.class, () -> RequestParser.parse(line));
    }
}
