package dev.aperture.internal.hooks;

import dev.aperture.AccessDecision.HookBinding;
import dev.aperture.AccessDecision.HookEvent;
import dev.aperture.GuardrailResponse;
import dev.aperture.HookBlockedException;
import dev.aperture.HookCallData;
import dev.aperture.HookFailedException;
import dev.aperture.HookHandler;
import dev.aperture.HookOptions;
import dev.aperture.Redactor;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Runs the hooks an access decision binds to a call, as Aperture does.
 *
 * <ul>
 *   <li>{@link #preRequest}: synchronous, in {@code preference} order (higher first, ties by name).
 *       {@code allow} passes; {@code modify} replaces the whole body, and the next hook sees the modified
 *       one; {@code block} stops the chain with {@link HookBlockedException}. A failure skips the hook
 *       ({@code fail_open}) or refuses the call with {@link HookFailedException} ({@code fail_closed}).
 *   <li>{@link #postResponse}: {@code entire_request} after every completed call, and
 *       {@code tool_call_entire_request} when the response has tool calls; queued on a bounded queue served
 *       by a few daemon threads, so they never delay or fail the caller, always fail open, and are counted
 *       as {@linkplain #droppedEvents() dropped} when the queue is full. A hook bound to both events gets
 *       both for a call with tool calls.
 * </ul>
 *
 * <p>Webhooks and in-process {@link HookHandler}s follow one contract: the same {@code HookCallData}, the
 * same ordering, failure policy and timeout (an in-process hook runs on a pool thread so its timeout can
 * be enforced; a throwing handler is a failure). An in-process hook replaces a webhook of the same name.
 * A binding that names an unknown or disabled hook sends nothing.
 *
 * <p>Outcomes go to a per-call {@link Listener}, for {@code EventListener.hookBlocked/hookFailed}. Failure
 * reasons (and the warning logged for each failure) never contain a hook's key, nor any body.
 * Thread-safe.
 */
public final class HookRunner implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HookRunner.class.getName());

  /** Post-response events that may wait for a thread before new ones are dropped. */
  public static final int DEFAULT_QUEUE_CAPACITY = 1_024;
  /** Threads delivering post-response events. */
  public static final int DEFAULT_POST_RESPONSE_THREADS = 2;
  /** How long {@link #close()} waits for queued events. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
  /** In-process hook calls that may run at once; more fail as overloaded. */
  static final int MAX_IN_PROCESS_THREADS = 256;

  private static final Comparator<Bound> CHAIN_ORDER = Comparator
      .comparingInt((Bound b) -> -b.hook.preference)
      .thenComparing(b -> b.hook.name);

  private final Map<String, Hook> hooks;
  private final Redactor redactor;
  private final WebhookClient client;
  private final @Nullable ExecutorService ownHttpExecutor;
  private final ThreadPoolExecutor inProcess;
  private final ThreadPoolExecutor postResponse;
  private final AtomicLong dropped = new AtomicLong();

  private HookRunner(Builder builder) {
    Map<String, Hook> resolved = new LinkedHashMap<>();
    List<String> secrets = new ArrayList<>();
    for (WebhookSpec spec : builder.webhooks.values()) {
      secrets.add(spec.apiKey());
      if (spec.url().getRawUserInfo() != null) secrets.add(spec.url().getRawUserInfo());
      if (spec.url().getRawQuery() != null) secrets.add(spec.url().getRawQuery());
      if (spec.disabled()) continue;
      resolved.put(spec.name(),
          new Hook(spec.name(), spec.preference(), spec.failClosed(), spec.timeout(), spec, null));
    }
    builder.inProcessHooks.forEach((name, entry) -> {
      HookOptions options = entry.getKey();
      resolved.put(name, new Hook(name, options.preference(), options.failClosed(), options.timeout(), null,
          entry.getValue()));
    });
    this.hooks = Map.copyOf(resolved);
    this.redactor = builder.redactor.plus(secrets);

    HttpClient http = builder.httpClient;
    if (http == null) {
      ExecutorService executor = Executors.newCachedThreadPool(daemon("aperture-hook-http"));
      this.ownHttpExecutor = executor;
      http = HttpClient.newBuilder()
          .executor(executor)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
    } else {
      this.ownHttpExecutor = null;
    }
    this.client = new WebhookClient(http);
    this.inProcess = new ThreadPoolExecutor(0, MAX_IN_PROCESS_THREADS, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemon("aperture-hook"));
    this.postResponse = new ThreadPoolExecutor(builder.postResponseThreads, builder.postResponseThreads,
        60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(builder.queueCapacity), daemon("aperture-hook-post"));
    this.postResponse.allowCoreThreadTimeOut(true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True if any hook is defined (enabled webhooks and in-process hooks). */
  public boolean hasHooks() {
    return !hooks.isEmpty();
  }

  /**
   * Runs the {@code pre_request} chain.
   *
   * @param bindings the call's hooks ({@code AccessDecision.hooks().values()})
   * @param context the call; its request body is what the first hook sees
   * @return the body to send: the last {@code modify}'s, or the context's own if no hook modified it
   * @throws HookBlockedException if a hook blocked the call
   * @throws HookFailedException if a {@code fail_closed} hook failed
   */
  public PreRequestResult preRequest(Collection<HookBinding> bindings, HookContext context, Listener listener) {
    return preRequest(bindings, context, listener, () -> null);
  }

  /**
   * As {@link #preRequest(Collection, HookContext, Listener)}, with each hook's wait also bounded by what
   * {@code remaining} says is left of the call's deadline (null: no deadline), so hooks cannot outlast it.
   */
  public PreRequestResult preRequest(Collection<HookBinding> bindings, HookContext context, Listener listener,
      java.util.function.Supplier<@Nullable Duration> remaining) {
    Map<String, @Nullable Object> body = context.requestBody();
    if (bindings.isEmpty() || hooks.isEmpty()) return new PreRequestResult(body, false);
    List<Bound> chain = chain(bindings, HookEvent.PRE_REQUEST);
    boolean modified = false;
    for (Bound bound : chain) {
      Hook hook = bound.hook;
      HookCallData data = HookPayloads.build(HookEvent.PRE_REQUEST, bound.binding.send(), context, body);
      HookAnswer answer = invoke(hook, data, true, remaining.get());
      if (answer instanceof HookAnswer.Answered answered) {
        GuardrailResponse response = answered.response();
        switch (response.action()) {
          case ALLOW:
            continue;
          case BLOCK: {
            String message = redactor.redact(response.message());
            notify(() -> listener.blocked(hook.name, response.statusCode(), message));
            throw new HookBlockedException(hook.name, response.statusCode(), message);
          }
          case MODIFY: {
            Map<String, @Nullable Object> replacement = Objects.requireNonNull(response.requestBody());
            HookAnswer.Failed unusable = check(context, replacement);
            if (unusable == null) {
              body = replacement;
              modified = true;
              continue;
            }
            answer = unusable;
            break;
          }
        }
      }
      HookAnswer.Failed failed = (HookAnswer.Failed) answer;
      HookFailure failure = new HookFailure(hook.name, HookEvent.PRE_REQUEST, failed.kind(), failed.reason(),
          hook.failClosed, failed.cause());
      report(failure, listener);
      if (failure.refused()) throw (HookFailedException) failure.toException();
    }
    return new PreRequestResult(body, modified);
  }

  /**
   * Queues the post-response events for a completed call: {@code entire_request} for every hook bound to
   * it, and {@code tool_call_entire_request} when {@link HookContext#toolCalls()} is not empty. Returns at
   * once; delivery happens on the runner's threads, where the listener is called too.
   *
   * @param context the call, with the request body as sent and the response
   * @return how many events were queued (the rest, if any, were dropped)
   */
  public int postResponse(Collection<HookBinding> bindings, HookContext context, Listener listener) {
    if (bindings.isEmpty() || hooks.isEmpty()) return 0;
    int queued = enqueue(chain(bindings, HookEvent.ENTIRE_REQUEST), HookEvent.ENTIRE_REQUEST, context, listener);
    if (!context.toolCalls().isEmpty()) {
      queued += enqueue(chain(bindings, HookEvent.TOOL_CALL_ENTIRE_REQUEST), HookEvent.TOOL_CALL_ENTIRE_REQUEST,
          context, listener);
    }
    return queued;
  }

  /** Post-response events dropped because the queue was full or the runner closed. */
  public long droppedEvents() {
    return dropped.get();
  }

  /**
   * Stops taking post-response events and waits up to {@code timeout} for the queued ones to be
   * delivered; those still queued then are dropped (and counted).
   *
   * @return true if every queued event was delivered
   */
  public boolean close(Duration timeout) {
    postResponse.shutdown();
    boolean drained;
    try {
      drained = postResponse.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    if (!drained) {
      int left = postResponse.shutdownNow().size();
      dropped.addAndGet(left);
      if (left > 0) LOG.log(System.Logger.Level.WARNING, "closed with {0} post-response hook events undelivered", left);
    }
    inProcess.shutdownNow();
    if (ownHttpExecutor != null) ownHttpExecutor.shutdownNow();
    return drained;
  }

  /** {@link #close(Duration)} with {@link #DEFAULT_DRAIN_TIMEOUT}. */
  @Override
  public void close() {
    close(DEFAULT_DRAIN_TIMEOUT);
  }

  @Override
  public String toString() {
    return "HookRunner{hooks=" + hooks.keySet() + ", dropped=" + dropped.get() + "}";
  }

  // ---------------------------------------------------------------------------------------------

  /** The bound hooks wired to {@code event}, known and enabled, in chain order. */
  private List<Bound> chain(Collection<HookBinding> bindings, HookEvent event) {
    List<Bound> chain = new ArrayList<>(bindings.size());
    for (HookBinding binding : bindings) {
      if (!binding.events().contains(event)) continue;
      Hook hook = hooks.get(binding.name());
      if (hook == null) {
        LOG.log(System.Logger.Level.DEBUG, "hook ''{0}'' is not defined or disabled; nothing sent", binding.name());
        continue;
      }
      chain.add(new Bound(hook, binding));
    }
    if (chain.size() > 1) chain.sort(CHAIN_ORDER);
    return chain;
  }

  private HookAnswer invoke(Hook hook, HookCallData data, boolean readAnswer) {
    return invoke(hook, data, readAnswer, null);
  }

  /** Calls {@code hook}, waiting at most its timeout and, when {@code cap} is given, at most {@code cap}. */
  private HookAnswer invoke(Hook hook, HookCallData data, boolean readAnswer, @Nullable Duration cap) {
    Duration timeout = hook.timeout;
    if (cap != null) { // the call's deadline
      if (cap.isZero() || cap.isNegative()) {
        return new HookAnswer.Failed(HookFailure.Kind.TIMEOUT, "the call's deadline had passed", null);
      }
      if (timeout.isZero() || cap.compareTo(timeout) < 0) timeout = cap;
    }
    WebhookSpec webhook = hook.webhook;
    if (webhook != null) {
      return client.call(timeout.equals(webhook.timeout()) ? webhook : webhook.withTimeout(timeout), data,
          readAnswer, redactor);
    }
    HookHandler handler = Objects.requireNonNull(hook.handler);
    if (timeout.isZero()) return runHandler(handler, data);
    Future<HookAnswer> future;
    try {
      future = inProcess.submit(() -> runHandler(handler, data));
    } catch (RejectedExecutionException e) {
      return new HookAnswer.Failed(HookFailure.Kind.OVERLOADED, inProcess.isShutdown() ? "the runner is closed"
          : "more than " + MAX_IN_PROCESS_THREADS + " in-process hook calls are running", e);
    }
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new HookAnswer.Failed(HookFailure.Kind.TIMEOUT, timeout.equals(hook.timeout)
          ? "no answer within its timeout of " + timeout.toMillis() + " ms"
          : "no answer within the " + timeout.toMillis() + " ms left of the call's deadline", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return new HookAnswer.Failed(HookFailure.Kind.INTERRUPTED, "interrupted while waiting for the hook", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new HookAnswer.Failed(HookFailure.Kind.HANDLER_FAILED, "threw " + WebhookClient.describe(cause, redactor),
          cause);
    }
  }

  private HookAnswer runHandler(HookHandler handler, HookCallData data) {
    GuardrailResponse response;
    try {
      response = handler.handle(data);
    } catch (RuntimeException | LinkageError | AssertionError e) {
      return new HookAnswer.Failed(HookFailure.Kind.HANDLER_FAILED, "threw " + WebhookClient.describe(e, redactor), e);
    }
    if (response == null) return new HookAnswer.Failed(HookFailure.Kind.HANDLER_FAILED, "returned null", null);
    return new HookAnswer.Answered(response);
  }

  /** Null if the context accepts {@code body}, else the failure to report. */
  private HookAnswer.@Nullable Failed check(HookContext context, Map<String, @Nullable Object> body) {
    HookContext.BodyCheck check = context.bodyCheck();
    if (check == null) return null;
    try {
      check.check(body);
      return null;
    } catch (RuntimeException e) {
      String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      return new HookAnswer.Failed(HookFailure.Kind.WRONG_SHAPE,
          "answered modify with a request_body that cannot be sent: " + redactor.redactThenTruncate(message, 200), e);
    }
  }

  private int enqueue(List<Bound> chain, HookEvent event, HookContext context, Listener listener) {
    int queued = 0;
    for (Bound bound : chain) {
      try {
        postResponse.execute(() -> deliver(bound, event, context, listener));
        queued++;
      } catch (RejectedExecutionException e) {
        long total = dropped.incrementAndGet();
        LOG.log(System.Logger.Level.DEBUG, "dropped {0} event for hook ''{1}'': queue full or closed ({2} dropped)",
            event.wireName(), bound.hook.name, total);
        notify(() -> listener.dropped(bound.hook.name, event));
      }
    }
    return queued;
  }

  private void deliver(Bound bound, HookEvent event, HookContext context, Listener listener) {
    HookAnswer answer;
    try {
      HookCallData data = HookPayloads.build(event, bound.binding.send(), context, context.requestBody());
      answer = invoke(bound.hook, data, false);
    } catch (RuntimeException e) {
      answer = new HookAnswer.Failed(HookFailure.Kind.HANDLER_FAILED, "could not be sent: "
          + WebhookClient.describe(e, redactor), e);
    }
    if (answer instanceof HookAnswer.Failed failed) {
      report(new HookFailure(bound.hook.name, event, failed.kind(), failed.reason(), false, failed.cause()), listener);
    }
  }

  private void report(HookFailure failure, Listener listener) {
    LOG.log(System.Logger.Level.WARNING, "hook ''{0}'' ({1}) failed, {2}: {3}", failure.hook(),
        failure.event().wireName(), failure.refused() ? "fail_closed, call refused" : "skipped", failure.reason());
    notify(() -> listener.failed(failure));
  }

  /** Calls a listener; one that throws is logged, never allowed to break the call or a worker. */
  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "hook listener threw {0}", e.getClass().getName());
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** A hook, webhook or in-process, with what the chain needs. */
  private static final class Hook {
    final String name;
    final int preference;
    final boolean failClosed;
    final Duration timeout;
    final @Nullable WebhookSpec webhook;
    final @Nullable HookHandler handler;

    Hook(String name, int preference, boolean failClosed, Duration timeout, @Nullable WebhookSpec webhook,
        @Nullable HookHandler handler) {
      this.name = name;
      this.preference = preference;
      this.failClosed = failClosed;
      this.timeout = timeout;
      this.webhook = webhook;
      this.handler = handler;
    }
  }

  private record Bound(Hook hook, HookBinding binding) {
  }

  /**
   * The body the provider is to be sent after the {@code pre_request} chain.
   *
   * @param modified true if some hook replaced it
   */
  public record PreRequestResult(Map<String, @Nullable Object> body, boolean modified) {
    public PreRequestResult {
      Objects.requireNonNull(body, "body == null");
    }
  }

  /**
   * Hears what the hooks of one call did. Post-response outcomes arrive on the runner's threads. A
   * listener that throws is logged and ignored.
   */
  public interface Listener {
    /** Hears nothing. */
    Listener NONE = new Listener() {
    };

    /** A {@code pre_request} hook blocked the call (the runner then throws {@link HookBlockedException}). */
    default void blocked(String hook, int statusCode, String message) {
    }

    /** A hook failed; {@link HookFailure#refused()} says whether the call was refused. */
    default void failed(HookFailure failure) {
    }

    /** A post-response event was dropped: the queue was full or the runner closed. */
    default void dropped(String hook, HookEvent event) {
    }
  }

  /** Builds a {@link HookRunner}. */
  public static final class Builder {
    private final Map<String, WebhookSpec> webhooks = new LinkedHashMap<>();
    private final Map<String, Map.Entry<HookOptions, HookHandler>> inProcessHooks = new LinkedHashMap<>();
    private Redactor redactor = Redactor.none();
    private @Nullable HttpClient httpClient;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int postResponseThreads = DEFAULT_POST_RESPONSE_THREADS;

    Builder() {
    }

    /** The configuration's hooks; disabled ones are never called. */
    public Builder webhooks(Collection<WebhookSpec> webhooks) {
      for (WebhookSpec spec : webhooks) this.webhooks.put(spec.name(), spec);
      return this;
    }

    /** In-process hooks by name (the Router builder's {@code addHook}); they replace webhooks of the same name. */
    public Builder inProcessHooks(Map<String, Map.Entry<HookOptions, HookHandler>> hooks) {
      hooks.forEach((name, entry) -> inProcessHooks.put(Objects.requireNonNull(name, "name == null"),
          Map.entry(entry.getKey(), entry.getValue())));
      return this;
    }

    /** More secrets to keep out of failure reasons (the webhooks' keys are added anyway). */
    public Builder redactor(Redactor redactor) {
      this.redactor = Objects.requireNonNull(redactor, "redactor == null");
      return this;
    }

    /** The client for webhooks; by default one of the runner's own, following no redirects. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient == null");
      return this;
    }

    /** Post-response events that may wait; more are dropped. */
    public Builder queueCapacity(int queueCapacity) {
      if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity < 1");
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** Threads delivering post-response events. */
    public Builder postResponseThreads(int postResponseThreads) {
      if (postResponseThreads < 1) throw new IllegalArgumentException("postResponseThreads < 1");
      this.postResponseThreads = postResponseThreads;
      return this;
    }

    public HookRunner build() {
      return new HookRunner(this);
    }
  }
}
