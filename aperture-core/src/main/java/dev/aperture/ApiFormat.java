package dev.aperture;

import org.jspecify.annotations.Nullable;

/** The API formats of Aperture's {@code compatibility} flags: which endpoints a provider's models speak. */
public enum ApiFormat {
  /** {@code /v1/chat/completions}; the default when a provider has no {@code compatibility} block. */
  OPENAI_CHAT("openai_chat"),
  /** {@code /v1/responses}. OpenRouter does not support it. */
  OPENAI_RESPONSES("openai_responses"),
  /** {@code /v1/messages}. */
  ANTHROPIC_MESSAGES("anthropic_messages"),
  GEMINI_GENERATE_CONTENT("gemini_generate_content"),
  GOOGLE_GENERATE_CONTENT("google_generate_content"),
  GOOGLE_RAW_PREDICT("google_raw_predict"),
  BEDROCK_MODEL_INVOKE("bedrock_model_invoke"),
  BEDROCK_CONVERSE("bedrock_converse");

  private final String wireName;

  ApiFormat(String wireName) {
    this.wireName = wireName;
  }

  /** The flag's name in configuration, such as {@code openai_chat}. */
  public String wireName() {
    return wireName;
  }

  /** The format with this configuration name, or null. */
  public static @Nullable ApiFormat fromWireName(String name) {
    for (ApiFormat format : values()) {
      if (format.wireName.equals(name)) return format;
    }
    return null;
  }
}
