/** The examples' plumbing: the embedded upstream, the gateway's HTTP handling, the verify table. */
@NullMarked
package dev.aperture.examples.internal;

import org.jspecify.annotations.NullMarked;
