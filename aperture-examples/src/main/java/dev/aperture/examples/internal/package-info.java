/** The examples' plumbing: the demo configuration, the embedded upstream, the verify table. */
@NullMarked
package dev.aperture.examples.internal;

import org.jspecify.annotations.NullMarked;
