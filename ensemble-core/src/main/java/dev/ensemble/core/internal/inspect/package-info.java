/**
 * INTERNAL API: the engine behind {@link dev.ensemble.core.inspect.Inspector}: request parsing
 * ({@link dev.ensemble.core.internal.inspect.RequestParser}), the model of actors and namespaces
 * ({@link dev.ensemble.core.internal.inspect.InspectModel}), the operations, message rates
 * ({@link dev.ensemble.core.internal.inspect.RateSampler}), the tap that records traces and the
 * history ({@link dev.ensemble.core.internal.inspect.Recorders}) and the streams of a session.
 */
package dev.ensemble.core.internal.inspect;
