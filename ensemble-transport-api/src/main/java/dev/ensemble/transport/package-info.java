/**
 * The transport SPI: how the collaboration layer hands opaque, size-limited binary messages to a
 * peer and hears about peers coming and going, whatever carries the bytes (memory, WebSocket
 * relay, WebRTC data channel). This module depends on nothing but SLF4J, so that a transport
 * needs neither Automerge nor the collaboration layer, and the collaboration layer no network
 * library.
 *
 * <p>The contracts are {@link dev.ensemble.transport.Transport} (what the layer above calls) and
 * {@link dev.ensemble.transport.TransportListener} (what a transport calls back). Peers are named
 * by {@link dev.ensemble.transport.PeerId}.
 */
package dev.ensemble.transport;
