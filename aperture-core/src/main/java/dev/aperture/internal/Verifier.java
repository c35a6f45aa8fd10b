package dev.aperture.internal;

import dev.aperture.AccessDeniedException;
import dev.aperture.ApertureException;
import dev.aperture.AuthenticationException;
import dev.aperture.CallTimeoutException;
import dev.aperture.InsufficientCreditsException;
import dev.aperture.ModelNotFoundException;
import dev.aperture.ModerationException;
import dev.aperture.ProviderConnectionException;
import dev.aperture.RateLimitedException;
import dev.aperture.StreamException;
import dev.aperture.UnsupportedApiFormatException;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ProviderException;
import dev.aperture.Route;
import dev.aperture.VerifyResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Checks models the way Aperture's Models tab does: a minimal real chat call through the whole path
 * (grants, routing, provider) as a given caller, a bounded number at once.
 */
final class Verifier {
  static final String PROMPT = "Reply with the single word: ok";

  private final RealRouter router;
  private final int concurrency;
  private final Duration timeout;

  Verifier(RealRouter router, int concurrency, Duration timeout) {
    this.router = router;
    this.concurrency = concurrency;
    this.timeout = timeout;
  }

  List<VerifyResult> verify(Caller caller, List<String> models) {
    if (models.isEmpty()) return List.of();
    AtomicInteger threadCount = new AtomicInteger();
    ThreadFactory threads = runnable -> {
      Thread thread = new Thread(runnable, "aperture-verify-" + threadCount.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    ExecutorService executor = Executors.newFixedThreadPool(Math.min(concurrency, models.size()), threads);
    try {
      List<Future<VerifyResult>> futures = new ArrayList<>(models.size());
      for (String model : models) {
        futures.add(executor.submit(() -> check(caller, model)));
      }
      List<VerifyResult> results = new ArrayList<>(models.size());
      for (int i = 0; i < models.size(); i++) {
        results.add(await(futures.get(i), caller, models.get(i)));
      }
      return results;
    } finally {
      executor.shutdownNow();
    }
  }

  private VerifyResult await(Future<VerifyResult> future, Caller caller, String model) {
    long start = System.nanoTime();
    try {
      // Each check bounds itself; this wait only guards against a provider that ignores its timeouts.
      return future.get(timeout.toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return failure(caller, model, Duration.ofNanos(System.nanoTime() - start),
          "no answer within " + seconds(timeout), null);
    } catch (ExecutionException e) {
      return failure(caller, model, Duration.ofNanos(System.nanoTime() - start),
          "check failed: " + e.getCause(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failure(caller, model, Duration.ZERO, "interrupted", null);
    }
  }

  private VerifyResult check(Caller caller, String model) {
    ChatRequest request = ChatRequest.builder().model(model).user(PROMPT).maxTokens(16).build();
    long start = System.nanoTime();
    var call = router.chatAsync(caller, request);
    try {
      var response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new VerifyResult(model, response.provider(), true,
          Duration.ofNanos(System.nanoTime() - start), null, null);
    } catch (TimeoutException e) {
      call.cancel(true); // Stop the upstream call (and its billing), not just the wait.
      return failure(caller, model, Duration.ofNanos(System.nanoTime() - start),
          "no answer within " + seconds(timeout), null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      Duration latency = Duration.ofNanos(System.nanoTime() - start);
      if (cause instanceof ApertureException failure) {
        return failure(caller, model, latency, explain(caller, model, failure), failure);
      }
      return failure(caller, model, latency, "unexpected " + cause, null);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return failure(caller, model, Duration.ofNanos(System.nanoTime() - start), "interrupted", null);
    }
  }

  /**
   * The failure itself first (what kind, then the error's own message), then what the provider's
   * diagnosis adds: a diagnosis alone ("the key is valid and has $8.50 left") would hide that the call
   * was refused.
   */
  private String explain(Caller caller, String model, ApertureException failure) {
    String reason = headline(failure) + ": " + clip(oneLine(String.valueOf(failure.getMessage())), 240);
    if (failure instanceof ProviderException providerFailure) {
      Route route = router.firstRoute(caller, model);
      if (route != null && route.providerId().equals(providerFailure.providerId())) {
        try {
          String diagnosis = route.provider().diagnose(route.model(), failure);
          if (diagnosis != null && !diagnosis.isBlank()) {
            return reason + " (diagnosis: " + clip(oneLine(diagnosis), 240) + ")";
          }
        } catch (RuntimeException ignored) {
          // A diagnosis is a bonus; the error's own message still says what happened.
        }
      }
    }
    return reason;
  }

  /** Names the kind of failure in a few words, as the Models tab would (the examples' words too). */
  static String headline(ApertureException failure) {
    if (failure instanceof AuthenticationException) return "bad key";
    if (failure instanceof InsufficientCreditsException) return "no credits";
    if (failure instanceof ModelNotFoundException) return "unknown model";
    if (failure instanceof AccessDeniedException) return "not granted";
    if (failure instanceof RateLimitedException) return "rate limited";
    if (failure instanceof ModerationException) return "refused by moderation";
    if (failure instanceof UnsupportedApiFormatException) return "unsupported format";
    if (failure instanceof CallTimeoutException) return "timed out";
    if (failure instanceof ProviderConnectionException e) return e.timedOut() ? "timed out" : "unreachable";
    if (failure instanceof StreamException) return "stream failed";
    if (failure instanceof ProviderException e) {
      return switch (e.statusCode()) {
        case 401 -> "bad key";
        case 402 -> "no credits";
        case 404 -> "unknown model or no endpoint for it";
        case 400 -> "bad request";
        case 0 -> "provider error";
        default -> "provider error (HTTP " + e.statusCode() + ")";
      };
    }
    return "failed";
  }

  private VerifyResult failure(Caller caller, String model, Duration latency, String reason,
      @Nullable ApertureException error) {
    String providerId = error instanceof ProviderException p ? p.providerId() : null;
    if (providerId == null) {
      Route route = router.firstRoute(caller, model);
      if (route != null) providerId = route.providerId();
    }
    return new VerifyResult(model, providerId, false, latency, reason, error);
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** Messages reaching here are already redacted by their provider; cutting them is safe. */
  private static String clip(String text, int max) {
    return text.length() > max ? text.substring(0, max) + "…" : text;
  }
}
