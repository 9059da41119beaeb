package dev.ensemble.collab.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.ensemble.collab.ephemeral.EphemeralMessage;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.transport.PeerId;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges automerge-repo {@code ephemeral} messages of one document and a topic of a room's
 * {@link dev.ensemble.collab.ephemeral.EphemeralChannel}, for a room that shares the document with
 * automerge-repo clients through a server (docs/AUTOMERGE-REPO.md, "A Java room and automerge-repo
 * clients"): cursors and presence of web pages reach the room's peers and the other way round.
 *
 * <pre>{@code
 * static final Topic<JsonNode> TOPIC = RepoEphemeralSettings.defaultTopic();
 * builder.add(CHANNEL, () -> new EphemeralChannel(EphemeralSettings.builder(PEERS).topic(TOPIC).build()), PEERS)
 *        .add(SERVER, () -> new RepoConnectionActor(RepoConnectionSettings.builder(uri, sockets)
 *                .peerId(identity.peerId().toString())     // the room peer's did:key: see below
 *                .build()))
 *        .add(BRIDGE, () -> new RepoEphemeralBridge(RepoEphemeralSettings.of(id, CHANNEL, PEERS, SERVER)),
 *                CHANNEL, PEERS, SERVER);
 * system.client(BRIDGE).onEvent(RepoEphemeralBridge.MESSAGE, e -> show((BridgedMessage) e.payload()));
 * system.client(BRIDGE).actions().broadcast(cursor);
 * }</pre>
 *
 * <h2>Routes</h2>
 * Every room peer of such a document is also a client of the server, so each hears the server's
 * clients itself and nothing is forwarded from one side to the other:
 * <ul>
 *   <li>{@link RepoEphemeral#broadcast} sends on the room's topic and, as CBOR, to the server,
 *       which forwards it to the document's other clients: the web pages, and the room's other
 *       peers' connections.</li>
 *   <li>What arrives on the topic from a room peer is delivered as a {@link #MESSAGE} event.</li>
 *   <li>What the server forwards is delivered too, unless its sender is a peer of the room, whose
 *       message the room delivers already: room peers join the server with their did:key as their
 *       automerge-repo peer id, and a message whose sender is in the room's roster is dropped as a
 *       duplicate. (A client that claims a room peer's id only has its own messages dropped.)</li>
 * </ul>
 * So each message is delivered once per receiver (while a peer is joining, its message may come
 * both ways or one way only), in order per sender and route, and never resent; what a peer sends
 * while the server is unreachable reaches the room only.
 *
 * <h2>Bad input</h2>
 * Data from the server that is larger than the topic's {@code maxPayloadBytes} or is not CBOR of a
 * JSON value is dropped with an {@link #ERROR} event naming the sender; the room's topic rejects
 * what it rejects with its own errors.
 *
 * <h2>Threading</h2>
 * An actor: use it through its client, whose methods are thread-safe.
 */
public final class RepoEphemeralBridge extends Actor<RepoEphemeralStatus> implements RepoEphemeral {
    /** A message was delivered; payload: a {@link BridgedMessage}. */
    public static final String MESSAGE = "repo-ephemeral-message";
    /** A message from the server was dropped; payload: the reason, as text, naming the sender. */
    public static final String ERROR = "repo-ephemeral-error";

    private static final Logger LOG = LoggerFactory.getLogger(RepoEphemeralBridge.class);
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RepoEphemeralSettings settings;

    /**
     * @param settings the document, the room's channel, topic and roster, and the connection
     */
    public RepoEphemeralBridge(RepoEphemeralSettings settings) {
        super(RepoEphemeralStatus.EMPTY);
        this.settings = settings;
    }

    @Override
    protected void onStart() {
        reactToEvents(settings.channel(), settings.topic().eventName(), this::fromRoom);
        reactToEvents(settings.connection(), RepoEvents.document(settings.documentId()), this::fromServer);
    }

    @Override
    public void broadcast(JsonNode message) {
        if (message == null || message.isNull()) {
            throw new IllegalArgumentException("a bridged ephemeral message must be a JSON value, not null");
        }
        byte[] json;
        byte[] cbor;
        try {
            json = JSON.writeValueAsBytes(message);
            cbor = CBOR.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode the ephemeral message: " + e.getMessage(), e);
        }
        int limit = settings.topic().maxPayloadBytes();
        if (json.length > limit) {
            throw new IllegalArgumentException(
                    "a message on topic \"" + settings.topic().name()
                            + "\" must be at most " + limit + " bytes encoded, was " + json.length
                            + ": send less, or raise the topic's maxPayloadBytes on every peer");
        }
        dependency(settings.channel()).actions().broadcast(settings.topic(), message);
        dependency(settings.connection()).actions().sendEphemeral(settings.documentId(), cbor);
        setState(state().withSent());
    }

    private void fromRoom(ActorEvent event) {
        EphemeralMessage<JsonNode> received = settings.topic().message(event);
        setState(state().withFromRoom());
        emit(MESSAGE, new BridgedMessage(received.from().toString(), true, received.message()));
    }

    private void fromServer(ActorEvent event) {
        if (!(event.payload() instanceof RepoMessage.Ephemeral ephemeral)) {
            return; // sync and the like: the collaboration actor's business
        }
        String sender = ephemeral.senderId();
        if (inRoom(sender)) {
            LOG.debug(
                    "document {}: dropped the server's copy of {}'s message; the room delivers it",
                    settings.documentId(),
                    UntrustedText.printable(sender));
            setState(state().withDuplicate());
            return;
        }
        int limit = settings.topic().maxPayloadBytes();
        if (ephemeral.data() != null && ephemeral.data().length > limit) {
            // The same bound as the room's topic: what one side may not send, the other may not either.
            reject(sender, "its data has " + ephemeral.data().length + " bytes, more than the topic's " + limit);
            return;
        }
        JsonNode message;
        try {
            message = ephemeral.data() == null ? null : CBOR.readTree(ephemeral.data());
        } catch (IOException | RuntimeException e) {
            reject(sender, "its data is not CBOR (" + e.getMessage() + ")");
            return;
        }
        if (message == null || message.isMissingNode() || message.isNull()) {
            reject(sender, "it carries no value");
            return;
        }
        setState(state().withFromServer());
        emit(MESSAGE, new BridgedMessage(sender, false, message));
    }

    private boolean inRoom(String sender) {
        Roster roster = dependency(settings.peers()).state();
        for (PeerId peer : roster.peers()) {
            if (peer.toString().equals(sender)) {
                return true;
            }
        }
        return false;
    }

    private void reject(String sender, String problem) {
        String reason = "document " + settings.documentId() + ": dropped an ephemeral message from \""
                + UntrustedText.printable(sender) + "\" of the automerge-repo server: " + problem;
        LOG.warn("{}", reason);
        setState(state().withRejected());
        emit(ERROR, reason);
    }
}
