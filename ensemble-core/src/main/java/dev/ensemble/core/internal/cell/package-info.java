/**
 * INTERNAL API: the runtime half of an actor: its cell (turns and lifecycle), its messages,
 * supervision, timers, listeners and reactions, and the client that turns calls into messages.
 */
package dev.ensemble.core.internal.cell;
