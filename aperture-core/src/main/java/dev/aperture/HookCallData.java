package dev.aperture;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a hook receives: Aperture's {@code HookCallData}, the JSON object a webhook hook is POSTed, as
 * JSON-like values ({@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean}, null). It
 * always has {@code metadata} ({@code login_name}, {@code user_agent}, {@code url}, {@code model},
 * {@code provider}, {@code tailnet_name}, {@code stable_node_id}, {@code request_id}, {@code session_id})
 * and exactly the fields the hook's unioned {@code send} list asks for. An in-process {@link HookHandler}
 * gets the same object a webhook would.
 */
public final class HookCallData {
  private final AccessDecision.HookEvent event;
  private final Map<String, @Nullable Object> json;

  public HookCallData(AccessDecision.HookEvent event, Map<String, @Nullable Object> json) {
    this.event = Objects.requireNonNull(event, "event == null");
    this.json = JsonValues.copyOfObject(json, "hook call data");
  }

  /** The event this call is for. */
  public AccessDecision.HookEvent event() {
    return event;
  }

  /** The whole object, as sent on the wire. */
  public Map<String, @Nullable Object> json() {
    return json;
  }

  /** {@code metadata}. */
  @SuppressWarnings("unchecked")
  public Map<String, @Nullable Object> metadata() {
    Object metadata = json.get("metadata");
    return metadata instanceof Map<?, ?> m ? (Map<String, @Nullable Object>) m : Map.of();
  }

  /** {@code request_body}, if the hook asked for it. */
  @SuppressWarnings("unchecked")
  public @Nullable Map<String, @Nullable Object> requestBody() {
    Object body = json.get("request_body");
    return body instanceof Map<?, ?> m ? (Map<String, @Nullable Object>) m : null;
  }

  /** Names the event and fields, never their contents. */
  @Override
  public String toString() {
    return "HookCallData{" + event.wireName() + ", fields=" + json.keySet() + "}";
  }
}
