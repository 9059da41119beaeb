/**
 * The direct WebSocket transport: nodes that can reach each other (servers in one network) connect
 * without a signaling server, one node listening and the others dialing it, each side proving its
 * {@code did:key} in a mutual handshake. Entry points: {@link
 * dev.ensemble.transport.ws.direct.DirectTransport} and {@link
 * dev.ensemble.transport.ws.direct.DirectTransportConfig}; the wire is in {@code docs/PROTOCOL.md},
 * "Direct connection".
 */
package dev.ensemble.transport.ws.direct;
