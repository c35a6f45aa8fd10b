@org.jspecify.annotations.NullMarked
package dev.aperture.config.internal;
