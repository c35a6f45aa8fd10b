/**
 * OpenTelemetry for Aperture: GenAI spans and metrics for every call and every attempt through the
 * {@link dev.aperture.Router}. Start with {@link dev.aperture.opentelemetry.ApertureTelemetry}.
 */
@NullMarked
package dev.aperture.opentelemetry;

import org.jspecify.annotations.NullMarked;
