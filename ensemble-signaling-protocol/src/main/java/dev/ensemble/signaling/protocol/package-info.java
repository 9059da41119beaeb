/**
 * The wire protocol between peers and the signaling server: JSON control messages
 * ({@link dev.ensemble.signaling.protocol.SignalingMessage}, {@link dev.ensemble.signaling.protocol.SignalingCodec}),
 * binary relay frames ({@link dev.ensemble.signaling.protocol.RelayFrame}), stable error codes
 * ({@link dev.ensemble.signaling.protocol.ErrorCode}) and the identity handshake
 * ({@link dev.ensemble.signaling.protocol.Handshake}). Free of any WebSocket library; the project's
 * {@code docs/PROTOCOL.md} describes the same protocol for other languages.
 */
package dev.ensemble.signaling.protocol;
