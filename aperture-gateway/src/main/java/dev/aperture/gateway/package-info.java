/** An embeddable OpenAI-compatible HTTP gateway in front of a {@link dev.aperture.Router}. */
@NullMarked
package dev.aperture.gateway;

import org.jspecify.annotations.NullMarked;
