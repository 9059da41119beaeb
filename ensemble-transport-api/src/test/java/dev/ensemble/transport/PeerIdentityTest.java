package dev.ensemble.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerIdentityTest {

    @TempDir
    Path directory;

    @Test
    void derivesTheRfc8032PublicKeyAndSignatureFromItsSeed() {
        HexFormat hex = HexFormat.of();
        PeerIdentity identity =
                PeerIdentity.fromSeed(hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals(
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                hex.formatHex(identity.peerId().publicKey()));
        assertEquals(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
                        + "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
                hex.formatHex(identity.sign(new byte[0])));
    }

    @Test
    void signaturesVerifyOnlyForTheSignedMessageAndKey() {
        PeerIdentity alice = PeerIdentity.generate();
        PeerIdentity bob = PeerIdentity.generate();
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] signature = alice.sign(message);
        assertTrue(alice.peerId().verify(message, signature));
        assertFalse(bob.peerId().verify(message, signature));
        assertFalse(alice.peerId().verify("hellO".getBytes(StandardCharsets.UTF_8), signature));
        assertNotEquals(alice.peerId(), bob.peerId());
    }

    @Test
    void keepsItsIdentityAcrossSaveAndLoadWithOwnerOnlyPermissions() throws IOException {
        Path file = directory.resolve("nested/identity.json");
        PeerIdentity original = PeerIdentity.loadOrCreate(file);
        PeerIdentity reloaded = PeerIdentity.loadOrCreate(file);
        assertEquals(original.peerId(), reloaded.peerId());
        assertTrue(original.peerId().verify(new byte[] {1}, reloaded.sign(new byte[] {1})));
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void refusesAFileWhosePeerIdDoesNotMatchItsKey() throws IOException {
        Path file = directory.resolve("identity.json");
        PeerIdentity.generate().save(file);
        String other = PeerIdentity.generate().peerId().toString();
        String text = Files.readString(file).replaceAll("did:key:z[1-9A-Za-z]+", other);
        Files.writeString(file, text);
        IOException error = assertThrows(IOException.class, () -> PeerIdentity.load(file));
        assertTrue(error.getMessage().contains("the file is corrupt"), error.getMessage());
    }

    @Test
    void readsAFileWrittenByAnyJsonToolWithWhitespaceEscapesAndAnotherMemberOrder() throws IOException {
        PeerIdentity original = PeerIdentity.generate();
        Path file = directory.resolve("identity.json");
        original.save(file);
        String written = Files.readString(file);
        assertTrue(written.startsWith("{\"kind\":\"ed25519\",\"peerId\":\"" + original.peerId() + "\""), written);
        String seed = written.replaceAll(".*\"privateKey\":\"([^\"]+)\".*\\s*", "$1");
        Files.writeString(
                file,
                "\n{ \"privateKey\" : \"" + seed.replace("/", "\\/") + "\",\r\n\t\"kind\":\"ed\\u0032\\u0035519\", "
                        + "\"peerId\": \"" + original.peerId() + "\", \"comment\": \"made by \\\"hand\\\"\" }  \n");
        assertEquals(original.peerId(), PeerIdentity.load(file).peerId());
    }

    @Test
    void refusesAFileWithDuplicateMembersOrTrailingText() throws IOException {
        Path file = directory.resolve("identity.json");
        Files.writeString(file, "{\"kind\":\"ed25519\",\"kind\":\"ed25519\"}");
        assertTrue(assertThrows(IOException.class, () -> PeerIdentity.load(file))
                .getMessage()
                .contains("member \"kind\" appears twice"));
        Files.writeString(file, "{\"kind\":\"ed25519\"} {}");
        assertTrue(assertThrows(IOException.class, () -> PeerIdentity.load(file))
                .getMessage()
                .contains("expected the end of the file after the object at character 19 but found '{'"));
        Files.writeString(file, "{\"kind\":1}");
        assertTrue(assertThrows(IOException.class, () -> PeerIdentity.load(file))
                .getMessage()
                .contains("expected a string value for member \"kind\" at character 8 but found '1'"));
    }

    @Test
    void refusesAFileThatIsNotAnIdentity() throws IOException {
        Path file = directory.resolve("identity.json");
        Files.writeString(file, "{\"kind\":\"rsa\"}");
        assertTrue(assertThrows(IOException.class, () -> PeerIdentity.load(file))
                .getMessage()
                .contains("\"kind\":\"ed25519\""));
        Files.writeString(file, "not json");
        assertTrue(assertThrows(IOException.class, () -> PeerIdentity.load(file))
                .getMessage()
                .contains("cannot be read as JSON"));
        Files.writeString(file, "{\"kind\":\"ed25519\",\"privateKey\":\"AAAA\"}");
        assertTrue(assertThrows(IOException.class, () -> PeerIdentity.load(file))
                .getMessage()
                .contains("32-byte privateKey"));
    }
}
