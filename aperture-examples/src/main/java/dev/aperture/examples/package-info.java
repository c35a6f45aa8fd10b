/**
 * Runnable examples, one class with a {@code main} per feature. Each works offline by default against an
 * embedded OpenRouter-shaped server, and against OpenRouter when {@code OPENROUTER_API_KEY} is set.
 */
@NullMarked
package dev.aperture.examples;

import org.jspecify.annotations.NullMarked;
