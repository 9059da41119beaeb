/**
 * The signaling server: verifies peer identities, keeps rooms, relays signals and fallback data between
 * peers of a room, enforces limits, and reports health and metrics. Start one with
 * {@link dev.ensemble.signaling.server.SignalingServer}, configure it with
 * {@link dev.ensemble.signaling.server.SignalingServerConfig}, or run the jar ({@link dev.ensemble.signaling.server.Main}).
 */
package dev.ensemble.signaling.server;
