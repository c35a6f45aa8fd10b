package dev.aperture;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of checking one model with a real minimal chat call, as {@link Router#verify} reports it:
 * the SDK's version of the green check or red X on Aperture's Models tab.
 *
 * @param model the model as checked
 * @param providerId the provider that served or failed it, or null if none was reached
 * @param latency how long the check took
 * @param reason for a failure, one line saying why; null when ok
 * @param error the typed error of a failure; null when ok
 */
public record VerifyResult(String model, @Nullable String providerId, boolean ok, Duration latency,
    @Nullable String reason, @Nullable ApertureException error) {
}
