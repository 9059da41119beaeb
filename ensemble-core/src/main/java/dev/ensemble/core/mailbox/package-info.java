/** Mailbox capacity and overflow policies: back-pressure for actors. */
package dev.ensemble.core.mailbox;
