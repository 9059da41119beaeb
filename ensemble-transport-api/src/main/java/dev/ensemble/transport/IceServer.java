package dev.ensemble.transport;

import java.util.List;
import java.util.Objects;

/**
 * A STUN or TURN server for WebRTC's ICE, shaped like the browser's {@code RTCIceServer}: one or
 * more URLs and, for TURN, a username and credential. The one description of an ICE server in the
 * project: the signaling protocol carries a list of them in its {@code welcome} (for a coturn server
 * with {@code use-auth-secret}, with a time-limited username and HMAC credential per peer), and the
 * WebRTC transport's configuration takes them.
 *
 * <pre>{@code
 * IceServer stun = IceServer.of("stun:stun.example.org:3478");
 * IceServer turn = IceServer.of(List.of("turn:turn.example.org:3478?transport=udp"),
 *     "1700000000:did:key:z6Mk...", "base64-hmac");
 * }</pre>
 *
 * <p>The rules checked here hold for any ICE server: at least one URL, each {@code stun:}, {@code
 * stuns:}, {@code turn:} or {@code turns:}, and a username and credential together or not at all.
 * That a TURN server needs credentials to be usable is the WebRTC transport's rule, checked where
 * it uses one (a server may announce a TURN URL whose credentials come from elsewhere).
 *
 * <p>Immutable and thread-safe. {@link #toString()} hides the credential.
 *
 * @param urls one or more {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URLs
 * @param username the TURN username, or {@code null}
 * @param credential the TURN credential, or {@code null}
 */
public record IceServer(List<String> urls, String username, String credential) {

    /**
     * Validates the server.
     *
     * @throws IllegalArgumentException if there is no URL, a URL has another scheme, or only one of
     *     username and credential is given
     */
    public IceServer {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        for (String url : urls) {
            if (!isTurnUrl(url) && !url.startsWith("stun:") && !url.startsWith("stuns:")) {
                throw new IllegalArgumentException(
                        "ICE server URL must start with stun:, stuns:, turn: or turns:, was \"" + url + "\"");
            }
        }
        if ((username == null) != (credential == null)) {
            throw new IllegalArgumentException("an ICE server needs both a username and a credential, or neither;" + " "
                    + urls + " has only " + (username == null ? "a credential" : "a username"));
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
     * Returns servers without credentials, e.g. STUN.
     *
     * @param urls the URLs
     * @return the server
     */
    public static IceServer of(List<String> urls) {
        return new IceServer(urls, null, null);
    }

    /**
     * Tells whether this is a TURN server (it can relay).
     *
     * @return whether any URL is {@code turn:} or {@code turns:}
     */
    public boolean isTurn() {
        return urls.stream().anyMatch(IceServer::isTurnUrl);
    }

    /**
     * Tells whether a username and credential come with the URLs.
     *
     * @return whether both are set
     */
    public boolean hasCredentials() {
        return username != null;
    }

    @Override
    public String toString() {
        return "IceServer" + urls + (username == null ? "" : " as " + username);
    }

    private static boolean isTurnUrl(String url) {
        return url.startsWith("turn:") || url.startsWith("turns:");
    }
}
