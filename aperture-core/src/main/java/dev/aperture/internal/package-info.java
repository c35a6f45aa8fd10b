/** Implementation details of Aperture's core. Not API: may change in any release. */
@NullMarked
package dev.aperture.internal;

import org.jspecify.annotations.NullMarked;
