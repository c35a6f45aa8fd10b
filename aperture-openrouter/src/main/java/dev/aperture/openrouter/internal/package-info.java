/** Implementation details of the OpenRouter provider. Not API: may change in any release. */
@NullMarked
package dev.aperture.openrouter.internal;

import org.jspecify.annotations.NullMarked;
