/**
 * What tests of transports share: {@link dev.ensemble.testkit.transport.TransportContractTest},
 * the behaviour every {@code Transport} must have (a subclass per implementation), {@link
 * dev.ensemble.testkit.transport.RecordingListener}, which records a transport's events, and
 * {@link dev.ensemble.testkit.transport.TestPeers}, repeatable did:keys named for tests.
 */
package dev.ensemble.testkit.transport;
