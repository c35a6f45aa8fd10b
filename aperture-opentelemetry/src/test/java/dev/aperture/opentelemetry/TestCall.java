package dev.aperture.opentelemetry;

import dev.aperture.ApiFormat;
import dev.aperture.Call;
import dev.aperture.CallOptions;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import org.jspecify.annotations.Nullable;

/** A {@link Call} as the Router would describe one; identity equality, like a real call. */
final class TestCall implements Call {
  private final ChatRequest request;
  private final boolean streaming;
  private final CallOptions options;

  TestCall(ChatRequest request, boolean streaming) {
    this(request, streaming, CallOptions.defaults());
  }

  TestCall(ChatRequest request, boolean streaming, CallOptions options) {
    this.request = request;
    this.streaming = streaming;
    this.options = options;
  }

  @Override
  public String requestId() {
    return options.requestId() != null ? options.requestId() : "req-1";
  }

  @Override
  public Caller caller() {
    return Caller.of("alice@example.com");
  }

  @Override
  public CallOptions options() {
    return options;
  }

  @Override
  public String model() {
    return request.model();
  }

  @Override
  public ApiFormat format() {
    return ApiFormat.OPENAI_CHAT;
  }

  @Override
  public boolean isStreaming() {
    return streaming;
  }

  @Override
  public @Nullable ChatRequest chatRequest() {
    return request;
  }
}
