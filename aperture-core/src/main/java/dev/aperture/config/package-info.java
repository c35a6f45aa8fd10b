/**
 * Aperture's JSON configuration: loading (HuJSON, {@code ${ENV}} secrets), validation with JSON paths,
 * and the typed values the {@link dev.aperture.Router} is built from.
 */
@NullMarked
package dev.aperture.config;

import org.jspecify.annotations.NullMarked;
