/** The gateway's HTTP handling on Netty; not API. */
@NullMarked
package dev.aperture.gateway.internal;

import org.jspecify.annotations.NullMarked;
