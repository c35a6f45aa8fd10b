/**
 * Quota enforcement: the in-memory {@link dev.aperture.QuotaStore}, the admission gate the call pipeline
 * uses, and the cost estimator that sizes each call's reservation. Not API: may change in any release.
 */
@NullMarked
package dev.aperture.internal.quota;

import org.jspecify.annotations.NullMarked;
