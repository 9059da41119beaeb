package dev.ensemble.transport.webrtc;

import java.util.List;
import java.util.Objects;

/**
 * A STUN or TURN server for ICE, as the browser's {@code RTCIceServer}: one or more URLs and,
 * for TURN, a username and credential (for a coturn server with {@code use-auth-secret}, the
 * time-limited username and HMAC credential the signaling server hands out in its
 * {@code welcome}).
 *
 * <pre>{@code
 * IceServer stun = IceServer.of("stun:stun.example.org:3478");
 * IceServer turn = IceServer.of(List.of("turn:turn.example.org:3478?transport=udp"),
 *     "1700000000:alice", "base64-hmac");
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} hides the credential.
 *
 * @param urls one or more {@code stun:}, {@code turn:} or {@code turns:} URLs
 * @param username the TURN username, or {@code null}
 * @param credential the TURN credential, or {@code null}
 */
public record IceServer(List<String> urls, String username, String credential) {

    /**
     * Validates the server.
     *
     * @throws IllegalArgumentException if there is no URL, a URL has another scheme, or a TURN URL
     *     comes without a username and credential
     */
    public IceServer {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        for (String url : urls) {
            boolean turn = url.startsWith("turn:") || url.startsWith("turns:");
            if (!turn && !url.startsWith("stun:") && !url.startsWith("stuns:")) {
                throw new IllegalArgumentException(
                        "ICE server URL must start with stun:, stuns:, turn:" + " or turns:, was \"" + url + "\"");
            }
            if (turn && (username == null || credential == null)) {
                throw new IllegalArgumentException("TURN server " + url + " needs a username and a"
                        + " credential (for coturn use-auth-secret: the ones from the server's welcome)");
            }
        }
    }

    /**
     * Returns a server without credentials, e.g. STUN.
     *
     * @param url the URL
     * @return the server
     */
    public static IceServer of(String url) {
        return new IceServer(List.of(url), null, null);
    }

    /**
     * Returns a server with credentials, e.g. TURN.
     *
     * @param urls the URLs
     * @param username the username
     * @param credential the credential
     * @return the server
     */
    public static IceServer of(List<String> urls, String username, String credential) {
        return new IceServer(urls, username, credential);
    }

    /**
     * Tells whether this is a TURN server (it can relay).
     *
     * @return whether any URL is {@code turn:} or {@code turns:}
     */
    public boolean isTurn() {
        return urls.stream().anyMatch(u -> u.startsWith("turn:") || u.startsWith("turns:"));
    }

    @Override
    public String toString() {
        return "IceServer" + urls + (username == null ? "" : " as " + username);
    }
}
