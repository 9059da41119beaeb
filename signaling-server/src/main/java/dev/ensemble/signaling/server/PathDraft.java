package dev.ensemble.signaling.server;

import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.HandshakeState;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.handshake.ClientHandshake;

/**
 * RFC 6455 for one side of the port: the automerge-repo path, or every other path (signaling). The
 * server offers one of each and Java-WebSocket takes the first that accepts a handshake, so each
 * connection gets the frame limit of its protocol <em>before</em> any frame is read: a signaling
 * connection cannot make the server buffer an automerge-repo-sized frame, and an automerge-repo
 * client may send a whole document in one message.
 */
final class PathDraft extends Draft_6455 {

    private final boolean automergeRepo;

    PathDraft(boolean automergeRepo, int maxFrameBytes) {
        super(List.of(), maxFrameBytes);
        this.automergeRepo = automergeRepo;
    }

    @Override
    public HandshakeState acceptHandshakeAsServer(ClientHandshake handshake) throws InvalidHandshakeException {
        if (isAutomergeRepo(handshake.getResourceDescriptor()) != automergeRepo) {
            return HandshakeState.NOT_MATCHED;
        }
        return super.acceptHandshakeAsServer(handshake);
    }

    @Override
    public Draft copyInstance() {
        return new PathDraft(automergeRepo, getMaxFrameSize());
    }

    /** True for {@code /automerge-repo}, with or without a trailing slash and a query. */
    static boolean isAutomergeRepo(String resourceDescriptor) {
        if (resourceDescriptor == null) {
            return false;
        }
        int query = resourceDescriptor.indexOf('?');
        String path = query < 0 ? resourceDescriptor : resourceDescriptor.substring(0, query);
        return path.equals(SignalingServerConfig.AUTOMERGE_REPO_PATH)
                || path.equals(SignalingServerConfig.AUTOMERGE_REPO_PATH + "/");
    }

    /** The value of the query parameter {@code token}, URL-decoded, or null. */
    static String token(String resourceDescriptor) {
        int query = resourceDescriptor == null ? -1 : resourceDescriptor.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String pair : resourceDescriptor.substring(query + 1).split("&")) {
            if (pair.startsWith("token=")) {
                try {
                    return java.net.URLDecoder.decode(pair.substring(6), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return pair.substring(6);
                }
            }
        }
        return null;
    }
}
