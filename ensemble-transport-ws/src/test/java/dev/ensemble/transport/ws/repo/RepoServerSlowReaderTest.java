package dev.ensemble.transport.ws.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.PeerMetadata;
import dev.ensemble.collab.repo.RepoCodec;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.collab.repo.server.RepoServerSettings;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.automerge.Document;
import org.automerge.SyncState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that asks and never reads cannot make the server queue without end: what waits for it
 * is bounded ({@link RepoServerSettings#maxQueuedBytes()}), and past the bound it is closed (1008)
 * while the others carry on. The deaf client is a plain TCP socket that speaks just enough
 * WebSocket to send its frames and leaves everything the server sends unread.
 */
class RepoServerSlowReaderTest {
    private static final RepoCodec CODEC = RepoCodec.standard();

    @TempDir
    Path temp;

    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedOnceTooMuchWaitsForIt() throws Exception {
        server = new SignalingServer(SignalingServerConfig.loopback()
                        .automergeRepo(RepoServerSettings.builder()
                                .dataDirectory(temp.resolve("data"))
                                .maxMessageBytes(128 * 1024)
                                .maxQueuedBytes(1024 * 1024)
                                // The loud client's 100 KiB ephemeral messages fill the deaf one's queue.
                                .maxEphemeralBytes(128 * 1024)
                                .messageRate(100_000, 100_000)
                                .build())
                        .build())
                .start();
        DocumentId id = DocumentId.random();
        try (Socket deaf = new Socket()) {
            deaf.setReceiveBufferSize(4096);
            deaf.connect(new InetSocketAddress("127.0.0.1", server.port()));
            OutputStream out = deaf.getOutputStream();
            out.write(("GET /automerge-repo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            writeFrame(out, CODEC.encode(new RepoMessage.Join("deaf", PeerMetadata.EMPTY, List.of("1"))));
            writeFrame(out, CODEC.encode(new RepoMessage.Request("deaf", "s", id, emptyDocumentsSyncMessage())));

            RawRepoClient loud = RawRepoClient.connect(server.automergeRepoUri());
            try {
                loud.send(new RepoMessage.Join("loud", PeerMetadata.EMPTY, List.of("1")));
                Await.until("loud joins", () -> !loud.received.isEmpty());
                byte[] payload = new byte[100 * 1024];
                payload[0] = (byte) 0x5a; // CBOR byte string of 4-byte length; the server does not look inside
                int sent = 0;
                for (; sent < 400 && loud.closeCode == null; sent++) {
                    loud.send(new RepoMessage.Ephemeral("loud", "s", id, sent + 1, "s", payload));
                }
                assertEquals(400, sent, "the sender is not held back");

                // Now read what reached the deaf client: some messages, then the close.
                Frames frames = drain(new DataInputStream(deaf.getInputStream()));
                assertEquals(1008, frames.closeCode(), "closed as a client that does not read: " + frames);
                assertTrue(frames.binary < 400, "not everything was queued for it: " + frames.binary);
                assertTrue(loud.closeCode == null, "the sender is not affected");
            } finally {
                loud.close();
            }
        }
    }

    /** What a client that has nothing of a document sends first. */
    private static byte[] emptyDocumentsSyncMessage() {
        // A Document before the SyncState: automerge-java 0.0.7 needs one made first (ARCHITECTURE.md).
        Document empty = new Document();
        SyncState state = new SyncState();
        try {
            return empty.generateSyncMessage(state).orElseThrow();
        } finally {
            state.free();
            empty.free();
        }
    }

    private static void writeFrame(OutputStream out, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x82); // final binary frame
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        frame.write(new byte[4]); // a zero mask: clients must mask, and XOR with zeros keeps the bytes
        frame.write(payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    private record Frames(int binary, int closeCode, String reason) {}

    /** Reads the HTTP answer, then frames, until a close frame or the end of the stream. */
    private static Frames drain(DataInputStream in) throws IOException {
        int crlf = 0;
        while (crlf < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("no handshake answer");
            }
            crlf = (b == '\r' || b == '\n') ? crlf + 1 : 0;
        }
        int binary = 0;
        while (true) {
            int first;
            try {
                first = in.readUnsignedByte();
            } catch (EOFException e) {
                return new Frames(binary, -1, "end of stream");
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            int opcode = first & 0x0f;
            if (opcode == 0x8) {
                return new Frames(
                        binary,
                        payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1,
                        payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "");
            }
            if (opcode == 0x2) {
                binary++;
            }
        }
    }
}
