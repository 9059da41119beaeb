/**
 * The WebSocket transport: a client of the Ensemble signaling server that joins one room, reports
 * its members as peers, relays data to them through the server and carries WebRTC signals.
 * Entry points: {@link dev.ensemble.transport.ws.WebSocketTransport} and {@link
 * dev.ensemble.transport.ws.WebSocketTransportConfig}.
 */
package dev.ensemble.transport.ws;
