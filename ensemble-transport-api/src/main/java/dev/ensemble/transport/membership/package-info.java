/**
 * Closed rooms by capability: invites signed by a room's owner (a {@code did:key}), delegated along
 * signed chains, revoked by signed revocations that peers gossip, and {@link
 * dev.ensemble.transport.membership.MembershipTransport}, the transport stage that admits only the
 * peers holding a valid invite. A bearer invite is proved, not shown: its holder keeps a one-time key
 * in the invite file ({@link dev.ensemble.transport.membership.HeldInvite}) and signs each presentation
 * with it. The encodings, limits and rules are in {@code docs/SECURITY.md}
 * ("Closed rooms"); the test vectors in {@code docs/vectors/invites}.
 */
package dev.ensemble.transport.membership;
