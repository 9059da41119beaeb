/**
 * The transport SPI: how the collaboration layer hands opaque, size-limited binary messages to a
 * peer and hears about peers coming and going, whatever carries the bytes (memory, WebSocket
 * relay, WebRTC data channel). This module depends on nothing but SLF4J, so that a transport
 * needs neither Automerge nor the collaboration layer, and the collaboration layer no network
 * library.
 *
 * <ul>
 *   <li>The contracts: {@link dev.ensemble.transport.Transport} (what the layer above calls) and
 *       {@link dev.ensemble.transport.TransportListener} (what a transport calls back), with
 *       {@link dev.ensemble.transport.TransportException}, whose {@link
 *       dev.ensemble.transport.TransportException.Reason reason} callers switch on.
 *   <li>Identity: a peer is a {@link dev.ensemble.transport.PeerId}, its Ed25519 public key as a
 *       {@code did:key}; {@link dev.ensemble.transport.PeerIdentity} holds the key pair that
 *       signs.
 *   <li>What every transport needs alike: {@link dev.ensemble.transport.Backoff} (the one retry
 *       rule), {@link dev.ensemble.transport.OwnerThread} (the thread that owns a transport's
 *       state) and {@link dev.ensemble.transport.IceServer} (a STUN or TURN server, as the
 *       signaling protocol carries it and WebRTC takes it).
 * </ul>
 *
 * <p>The test kit (ensemble-testkit, package {@code dev.ensemble.testkit.transport}) holds the
 * contract test every transport runs ({@code TransportContractTest}), a recording listener and
 * {@code TestPeers}, repeatable did:keys named for tests.
 */
package dev.ensemble.transport;
