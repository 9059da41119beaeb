/**
 * Remote actors: {@link dev.ensemble.remote.RemoteActors} makes an actor system a node that
 * exposes actors to other nodes under an {@link dev.ensemble.remote.AccessPolicy} and gives
 * {@link dev.ensemble.core.ActorClient}s for actors on other nodes, over the transport SPI. Values
 * cross the wire only as types of a {@link dev.ensemble.remote.TypeRegistry}. The wire format is
 * in {@link dev.ensemble.remote.wire}; the model and guarantees in {@code docs/REMOTE.md}.
 */
package dev.ensemble.remote;
