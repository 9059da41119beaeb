/**
 * A room's peers: who is reachable, over which transport, and the actor that carries envelopes
 * to and from them ({@link dev.ensemble.collab.peers.PeerMessagingActor}).
 */
package dev.ensemble.collab.peers;
