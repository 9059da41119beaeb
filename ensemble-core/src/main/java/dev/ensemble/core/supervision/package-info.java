/** What happens when an actor fails: restart strategies, intensity limits and backoff. */
package dev.ensemble.core.supervision;
