/** JMH benchmarks and the loopback stub upstream they measure against. Not a library. */
@NullMarked
package dev.aperture.benchmarks;

import org.jspecify.annotations.NullMarked;
