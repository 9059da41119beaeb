/**
 * INTERNAL API: types that generated code must see as public. Not for applications; they may
 * change in any release.
 */
package dev.ensemble.core.internal;
