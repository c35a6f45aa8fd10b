/**
 * Aperture for Java: route LLM chat calls to providers by model name, with Aperture's grants.
 *
 * <p>Start with {@link dev.aperture.Router}: build one from an {@link dev.aperture.config.ApertureConfig}
 * and the provider factories you use, then call {@link dev.aperture.Router#chat}.
 */
@NullMarked
package dev.aperture;

import org.jspecify.annotations.NullMarked;
