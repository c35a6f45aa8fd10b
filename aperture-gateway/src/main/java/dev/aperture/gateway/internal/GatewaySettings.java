package dev.aperture.gateway.internal;

import dev.aperture.Redactor;
import dev.aperture.Router;
import java.net.InetAddress;
import java.time.Duration;

/** Everything a gateway was built with; validated by {@code ApertureGateway.Builder}. */
public record GatewaySettings(
    Router router,
    InetAddress bindAddress,
    int port,
    boolean trustGroupAndTagHeaders,
    String sessionHeader,
    Redactor redactor,
    int maxHeaderSize,
    int maxBodySize,
    Duration idleTimeout,
    Duration requestTimeout,
    Duration responseTimeout,
    Duration writeStallTimeout,
    int workerThreads,
    int maxQueuedCalls,
    int maxConcurrentStreams,
    int maxConnections,
    int ioThreads,
    Duration shutdownTimeout) {
}
