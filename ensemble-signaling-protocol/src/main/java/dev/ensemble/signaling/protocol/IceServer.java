package dev.ensemble.signaling.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One entry of the {@code iceServers} list in a {@code welcome} message, shaped like WebRTC's
 * {@code RTCIceServer}: STUN entries carry only URLs, TURN entries also a username and credential.
 *
 * @param urls       one or more {@code stun:}, {@code turn:} or {@code turns:} URLs
 * @param username   the TURN username, or null for STUN
 * @param credential the TURN password, or null for STUN
 */
public record IceServer(List<String> urls, String username, String credential) {

    /** Validates and copies. */
    public IceServer {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        if ((username == null) != (credential == null)) {
            throw new IllegalArgumentException("an ICE server needs both username and credential, or neither");
        }
    }

    /** A STUN server (no credentials). */
    public static IceServer stun(List<String> urls) {
        return new IceServer(urls, null, null);
    }
}
