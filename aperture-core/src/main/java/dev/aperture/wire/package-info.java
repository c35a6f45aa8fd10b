/**
 * The OpenAI chat-completions wire format (requests, responses, stream chunks) as streaming JSON over
 * Okio, shared by providers that speak it and by gateways that accept it. Fields the typed values do not
 * model are kept losslessly in their {@code extra} / {@code parameters} maps.
 */
@NullMarked
package dev.aperture.wire;

import org.jspecify.annotations.NullMarked;
