/**
 * The transport SPI: how the collaboration layer hands opaque, size-limited binary messages to a
 * peer and hears about peers coming and going, whatever carries the bytes (memory, WebSocket
 * relay, WebRTC data channel).
 *
 * <p>The contracts are {@link dev.ensemble.collab.transport.Transport} (what the layer above
 * calls) and {@link dev.ensemble.collab.transport.TransportListener} (what a transport calls
 * back). Peers are named by {@link dev.ensemble.collab.transport.PeerId}.
 */
package dev.ensemble.collab.transport;
