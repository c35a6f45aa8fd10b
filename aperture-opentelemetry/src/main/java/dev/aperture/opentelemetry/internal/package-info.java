/** The listener, instruments and attribute names behind {@link dev.aperture.opentelemetry.ApertureTelemetry}. */
@NullMarked
package dev.aperture.opentelemetry.internal;

import org.jspecify.annotations.NullMarked;
