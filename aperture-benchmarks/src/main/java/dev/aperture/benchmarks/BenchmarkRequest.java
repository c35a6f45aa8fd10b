package dev.aperture.benchmarks;

import dev.aperture.ChatRequest;
import dev.aperture.Message;

/** The one request every way of calling sends: same model, messages and parameters. */
final class BenchmarkRequest {
  static final String MODEL = StubUpstream.MODEL;
  static final String SYSTEM = "You are a concise assistant.";
  static final String USER = "Say hello in one short sentence.";
  static final double TEMPERATURE = 0.7;
  static final int MAX_TOKENS = 256;
  static final String API_KEY = "sk-or-v1-benchmark-not-a-real-key";

  private BenchmarkRequest() {
  }

  static ChatRequest chatRequest() {
    return ChatRequest.builder()
        .model(MODEL)
        .addMessage(Message.system(SYSTEM))
        .addMessage(Message.user(USER))
        .temperature(TEMPERATURE)
        .maxTokens(MAX_TOKENS)
        .build();
  }
}
