/**
 * Aperture's hooks, wire-compatible with its webhook protocol: the {@code HookCallData} builder, the
 * webhook client, and the runner that orders, calls and queues hooks. Not API: may change in any release.
 */
@NullMarked
package dev.aperture.internal.hooks;

import org.jspecify.annotations.NullMarked;
