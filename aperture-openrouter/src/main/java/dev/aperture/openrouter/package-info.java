/**
 * The OpenRouter provider: OpenAI-compatible chat completions against {@code https://openrouter.ai/api/}
 * over OkHttp, with streaming, typed errors and retries. Build one with
 * {@link dev.aperture.openrouter.OpenRouterProvider#builder()}, or let a Router build it from an Aperture
 * configuration by registering {@link dev.aperture.openrouter.OpenRouterProviderFactory}.
 */
@NullMarked
package dev.aperture.openrouter;

import org.jspecify.annotations.NullMarked;
