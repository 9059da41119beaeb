/**
 * INTERNAL API: how an actor's actions are called, from the validated table of an actions
 * interface to the generated class that calls one action without reflection.
 */
package dev.ensemble.core.internal.invoke;
