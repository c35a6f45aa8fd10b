package dev.aperture;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI Responses-API request ({@code POST /v1/responses}), kept as its JSON body. The Router routes it
 * like a chat call and refuses it, before any network I/O, for providers without
 * {@link ApiFormat#OPENAI_RESPONSES}.
 *
 * @param body the whole request body as JSON-like values, including {@code model}
 */
public record ResponsesRequest(String model, Map<String, @Nullable Object> body) {
  public ResponsesRequest {
    Objects.requireNonNull(model, "model == null");
    body = JsonValues.copyOfObject(body, "body");
  }

  public static ResponsesRequest of(String model, String input) {
    return new ResponsesRequest(model, Map.of("model", model, "input", input));
  }

  /** A copy asking for {@code model}, in the body too. */
  public ResponsesRequest withModel(String model) {
    Map<String, @Nullable Object> newBody = new java.util.LinkedHashMap<>(body);
    newBody.put("model", model);
    return new ResponsesRequest(model, newBody);
  }
}
