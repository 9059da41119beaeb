/**
 * Inspecting a node from another machine: {@link dev.ensemble.remote.inspect.RemoteInspection}
 * serves a {@link dev.ensemble.core.inspect.Inspector} to remote shells through {@link
 * dev.ensemble.remote.RemoteActors}, granting each did:key its access, and attaches a shell to a
 * node. The lines are those of the inspection protocol (docs/SHELL.md, "Protocol").
 */
package dev.ensemble.remote.inspect;
