package dev.aperture.internal.hooks;

import dev.aperture.AccessDecision.HookBinding;
import dev.aperture.AccessDecision.HookEvent;
import dev.aperture.CallOptions;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;

/** Calls, bindings and answers shaped like real ones, for the hook tests. */
final class HookTesting {
  static final String HOOK_KEY = "sk-guard-abc123-very-secret";
  static final Caller ALICE = Caller.builder().login("alice@example.com").node("nSTABLE123")
      .tailnet("example.ts.net").build();
  static final CallOptions OPTIONS = CallOptions.builder().userAgent("claude-code/1.0")
      .url("https://aperture.tail1234.ts.net/v1/chat/completions").sessionId("sess_xyz789").build();

  private HookTesting() {
  }

  static ChatRequest request() {
    return ChatRequest.builder()
        .model("anthropic/claude-sonnet-4")
        .addMessage(Message.system("You are terse."))
        .addMessage(Message.user("My SSN is 123-45-6789, write a function that sorts a list"))
        .maxTokens(4096)
        .build();
  }

  static Map<String, @Nullable Object> requestBody() {
    return HookBodies.requestBody(request(), false);
  }

  static HookContext.Builder context() {
    return HookContext.builder()
        .requestId("req_abc123")
        .caller(ALICE)
        .options(OPTIONS)
        .model("anthropic/claude-sonnet-4")
        .provider("openrouter")
        .requestBody(requestBody())
        .bodyCheck(HookBodies::checkChatRequest);
  }

  static HookBinding binding(String name, HookEvent event, String... send) {
    return new HookBinding(name, EnumSet.of(event), new java.util.LinkedHashSet<>(Arrays.asList(send)));
  }

  static HookBinding binding(String name, Set<HookEvent> events, String... send) {
    return new HookBinding(name, events, new java.util.LinkedHashSet<>(Arrays.asList(send)));
  }

  static MockResponse json(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
  }

  static MockResponse allow() {
    return json("{\"action\": \"allow\"}");
  }

  @SuppressWarnings("unchecked")
  static Map<String, @Nullable Object> received(RecordedRequest request) {
    return (Map<String, @Nullable Object>) HookBodies.parseJson(request.getBody().toByteArray());
  }

  @SuppressWarnings("unchecked")
  static Map<String, @Nullable Object> map(@Nullable Object value) {
    return (Map<String, @Nullable Object>) value;
  }

  /** Records outcomes a runner reports. */
  static final class RecordingListener implements HookRunner.Listener {
    final List<String> blocked = new CopyOnWriteArrayList<>();
    final List<HookFailure> failures = new CopyOnWriteArrayList<>();
    final List<String> dropped = new CopyOnWriteArrayList<>();

    @Override
    public void blocked(String hook, int statusCode, String message) {
      blocked.add(hook + " " + statusCode + " " + message);
    }

    @Override
    public void failed(HookFailure failure) {
      failures.add(failure);
    }

    @Override
    public void dropped(String hook, HookEvent event) {
      dropped.add(hook + " " + event.wireName());
    }
  }

  /** Captures what the runner logs, at every level. */
  static final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger(HookRunner.class.getName());
    private final Level previous = logger.getLevel();
    final List<String> lines = new CopyOnWriteArrayList<>();

    LogCapture() {
      logger.setLevel(Level.ALL);
      logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      lines.add(record.getLevel() + " " + new SimpleFormatter().formatMessage(record)
          + (record.getThrown() != null ? " " + record.getThrown() : ""));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
      logger.removeHandler(this);
      logger.setLevel(previous);
    }

    List<String> all() {
      return new ArrayList<>(lines);
    }
  }
}
