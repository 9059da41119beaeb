/**
 * INTERNAL API: the queues of actors' waiting messages, unbounded (multi-producer, single
 * consumer, lock-free) or bounded with an overflow policy.
 */
package dev.ensemble.core.internal.mailbox;
