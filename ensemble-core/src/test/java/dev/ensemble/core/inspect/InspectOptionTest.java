package dev.ensemble.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorSystemConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** {@code ActorSystem.Builder.inspect} and the configuration's {@code "inspect"}: the socket's life with the system. */
class InspectOptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void servesTheInspectorOnAnOwnerOnlySocketWhileTheSystemRuns() throws Exception {
        Path socket;
        try (ActorSystem system = ActorSystem.builder("inspect-option-on")
                .inspect(InspectionAccess.READ)
                .add(Gauge.OTHER, Gauge::new)
                .start()) {
            socket = system.inspectionSocket().orElseThrow();
            assertEquals(InspectionSockets.socketFor(ProcessHandle.current().pid(), "inspect-option-on"), socket);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            try (InspectionServerTestClient client = InspectionServerTestClient.connect(socket)) {
                JsonNode hello = JSON.readTree(client.readLine());
                assertEquals("inspect-option-on", hello.get("system").asText());
                assertEquals("read", hello.get("access").asText());
                client.send("{\"id\":1,\"op\":\"ls\",\"path\":\"/\"}\n");
                JsonNode reply = JSON.readTree(client.readLine());
                assertTrue(reply.get("ok").asBoolean(), reply.toString());
                assertEquals(
                        "/" + Gauge.OTHER.name(),
                        reply.at("/result/entries/0/path").asText());
            }
        }
        assertFalse(Files.exists(socket), "the socket is deleted when the system stops");
    }

    @Test
    void isOffByDefaultAndTheConfigurationOverridesCode() {
        try (ActorSystem system = ActorSystem.builder("inspect-option-default")
                .add(Gauge.OTHER, Gauge::new)
                .start()) {
            assertTrue(system.inspectionSocket().isEmpty());
        }
        ActorSystemConfig off = ActorSystemConfig.fromJson("{\"inspect\":\"off\"}", "off.json");
        try (ActorSystem system = ActorSystem.builder("inspect-option-off")
                .inspect(InspectionAccess.WRITE)
                .config(off)
                .add(Gauge.OTHER, Gauge::new)
                .start()) {
            assertTrue(system.inspectionSocket().isEmpty());
        }
        ActorSystemConfig write = ActorSystemConfig.fromJson("{\"inspect\":\"write\"}", "write.json");
        try (ActorSystem system = ActorSystem.builder("inspect-option-write")
                .config(write)
                .add(Gauge.OTHER, Gauge::new)
                .start()) {
            Path socket = system.inspectionSocket().orElseThrow();
            try (InspectionServerTestClient client = InspectionServerTestClient.connect(socket)) {
                assertEquals(
                        "write", JSON.readTree(client.readLine()).get("access").asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aBadInspectValueNamesTheFileAndKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ActorSystemConfig.fromJson("{\"inspect\":true}", "app.json"));
        assertTrue(e.getMessage().contains("app.json"), e.getMessage());
        assertTrue(e.getMessage().contains("inspect"), e.getMessage());
        assertTrue(e.getMessage().contains("\"off\", \"read\" or \"write\""), e.getMessage());
    }
}
