package dev.ensemble.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectionSocketsTest {
    @TempDir
    Path temp;

    @Test
    void usesTheRuntimeDirectoryWhenItExistsElseTheTemporaryOne() {
        assertEquals(
                temp.resolve("ensemble"),
                InspectionSockets.directory(Map.of("XDG_RUNTIME_DIR", temp.toString()), "/tmp", "ada"));
        assertEquals(
                Path.of("/tmp", "ensemble-ada"),
                InspectionSockets.directory(
                        Map.of("XDG_RUNTIME_DIR", temp.resolve("gone").toString()), "/tmp", "ada"));
        assertEquals(Path.of("/tmp", "ensemble-a_b"), InspectionSockets.directory(Map.of(), "/tmp", "a/b"));
    }

    @Test
    void createsTheDirectoryOwnerOnlyAndRefusesOneOthersCanWrite() throws IOException {
        Path created = InspectionSockets.createDirectory(temp.resolve("ensemble"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));

        Path open = Files.createDirectory(
                temp.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException refused = assertThrows(IOException.class, () -> InspectionSockets.createDirectory(open));
        assertTrue(refused.getMessage().contains("rwxrwxrwx"), refused.getMessage());

        Path file = Files.createFile(temp.resolve("file"));
        assertThrows(IOException.class, () -> InspectionSockets.createDirectory(file));
    }

    @Test
    void namesSocketsByProcessAndSystemAndFindsThemByProcess() throws IOException {
        Path directory = InspectionSockets.createDirectory(temp.resolve("ensemble"));
        Path piano = InspectionSockets.socketFor(directory, 4242, "piano room");
        assertEquals(directory.resolve("4242-piano_room.sock"), piano);
        Files.createFile(piano);
        Files.createFile(directory.resolve("4242-signaling.sock"));
        Files.createFile(directory.resolve("42420-other.sock"));

        assertEquals(
                List.of(directory.resolve("4242-piano_room.sock"), directory.resolve("4242-signaling.sock")),
                InspectionSockets.socketsOf(directory, 4242));
        assertEquals(List.of(), InspectionSockets.socketsOf(directory, 7));
        assertEquals(List.of(), InspectionSockets.socketsOf(temp.resolve("missing"), 4242));
    }

    @Test
    void refusesPathsTooLongForAUnixSocket() {
        Path deep = temp.resolve("x".repeat(120));
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> InspectionSockets.socketFor(deep, 1, "piano"));
        assertTrue(refused.getMessage().contains("at most 103"), refused.getMessage());
    }
}
