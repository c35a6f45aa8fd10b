/** Implementation details of the Redis stores. Not API: may change in any release. */
@NullMarked
package dev.aperture.redis.internal;

import org.jspecify.annotations.NullMarked;
