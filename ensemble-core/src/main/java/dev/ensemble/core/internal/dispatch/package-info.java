/**
 * INTERNAL API: the threads that run actors' turns: a shared work-stealing pool, a dedicated
 * thread per actor, or the calling thread.
 */
package dev.ensemble.core.internal.dispatch;
