/** Choosing the threads that run actors' turns. */
package dev.ensemble.core.dispatch;
