/**
 * The OpenAI chat-completions wire format (requests, responses, stream chunks) as streaming JSON over
 * Okio, shared by providers that speak it and by gateways that accept it. Fields the typed values do not
 * model are kept losslessly in their {@code extra} / {@code parameters} maps.
 *
 * <p>Internal: not API, may change in any release. Public only so the SDK's own modules (providers, the
 * gateway example) can share it; Okio types never appear in the public API.
 */
@NullMarked
package dev.aperture.internal.wire;

import org.jspecify.annotations.NullMarked;
