package dev.aperture.opentelemetry.internal;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The attribute names this module writes. The {@code gen_ai.*}, {@code error.type} and {@code server.*}
 * names are those of the OpenTelemetry GenAI semantic conventions (status: development), kept here as
 * constants rather than through the incubating semconv artifact so the module needs the API alone. The
 * {@code aperture.*} names are this SDK's own: routing, governance and cost, which the conventions do not
 * cover.
 */
public final class GenAiAttributes {
  private GenAiAttributes() {
  }

  /** The operation every Router call is: a chat completion. */
  public static final String OPERATION_CHAT = "chat";

  public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  public static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  public static final AttributeKey<Double> REQUEST_TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
  public static final AttributeKey<Double> REQUEST_TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
  public static final AttributeKey<Double> REQUEST_TOP_K = AttributeKey.doubleKey("gen_ai.request.top_k");
  public static final AttributeKey<Long> REQUEST_SEED = AttributeKey.longKey("gen_ai.request.seed");
  public static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES =
      AttributeKey.stringArrayKey("gen_ai.request.stop_sequences");
  public static final AttributeKey<Double> REQUEST_FREQUENCY_PENALTY =
      AttributeKey.doubleKey("gen_ai.request.frequency_penalty");
  public static final AttributeKey<Double> REQUEST_PRESENCE_PENALTY =
      AttributeKey.doubleKey("gen_ai.request.presence_penalty");
  public static final AttributeKey<Long> REQUEST_CHOICE_COUNT = AttributeKey.longKey("gen_ai.request.choice.count");
  public static final AttributeKey<Boolean> REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
  public static final AttributeKey<String> OUTPUT_TYPE = AttributeKey.stringKey("gen_ai.output.type");
  public static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("gen_ai.conversation.id");

  public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  public static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  public static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  public static final AttributeKey<Double> RESPONSE_TIME_TO_FIRST_CHUNK =
      AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");

  public static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  public static final AttributeKey<Long> USAGE_REASONING_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");

  public static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  public static final String TOKEN_TYPE_INPUT = "input";
  public static final String TOKEN_TYPE_OUTPUT = "output";

  /** Opt-in content, as JSON strings (structured attributes are not yet supported on spans). */
  public static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
  public static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");

  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  // Aperture's own.
  /** The attempt's route, {@code provider/model}. */
  public static final AttributeKey<String> APERTURE_ROUTE = AttributeKey.stringKey("aperture.route");
  /** The attempt's number, from 1 across the whole call. */
  public static final AttributeKey<Long> APERTURE_ATTEMPT = AttributeKey.longKey("aperture.attempt");
  /** What the Router did after a failed attempt: {@code retry}, {@code fail_over} or {@code give_up}. */
  public static final AttributeKey<String> APERTURE_ATTEMPT_OUTCOME = AttributeKey.stringKey("aperture.attempt.outcome");
  /** Seconds before the retry, for {@code retry}. */
  public static final AttributeKey<Double> APERTURE_ATTEMPT_RETRY_DELAY =
      AttributeKey.doubleKey("aperture.attempt.retry_delay");
  /** The route failed over to, for {@code fail_over}. */
  public static final AttributeKey<String> APERTURE_ATTEMPT_NEXT_ROUTE =
      AttributeKey.stringKey("aperture.attempt.next_route");
  /** The upstream HTTP status of a failed attempt, when there was one. */
  public static final AttributeKey<Long> APERTURE_PROVIDER_STATUS_CODE =
      AttributeKey.longKey("aperture.provider.status_code");
  /** What the call cost, in nanodollars (1e-9 USD). */
  public static final AttributeKey<Long> APERTURE_COST = AttributeKey.longKey("aperture.cost");

  public static final AttributeKey<String> APERTURE_HOOK_NAME = AttributeKey.stringKey("aperture.hook.name");
  public static final AttributeKey<Long> APERTURE_HOOK_STATUS_CODE = AttributeKey.longKey("aperture.hook.status_code");
  public static final AttributeKey<String> APERTURE_HOOK_MESSAGE = AttributeKey.stringKey("aperture.hook.message");
  public static final AttributeKey<Boolean> APERTURE_HOOK_FAIL_OPEN = AttributeKey.booleanKey("aperture.hook.fail_open");
  public static final AttributeKey<String> APERTURE_QUOTA_BUCKET = AttributeKey.stringKey("aperture.quota.bucket");
  /** Seconds until the refused bucket is positive again. */
  public static final AttributeKey<Double> APERTURE_QUOTA_RETRY_AFTER =
      AttributeKey.doubleKey("aperture.quota.retry_after");

  // Span event names.
  public static final String EVENT_HOOK_BLOCKED = "aperture.hook.blocked";
  public static final String EVENT_HOOK_FAILED = "aperture.hook.failed";
  public static final String EVENT_QUOTA_REJECTED = "aperture.quota.rejected";

  // Metric names.
  public static final String METRIC_OPERATION_DURATION = "gen_ai.client.operation.duration";
  public static final String METRIC_TOKEN_USAGE = "gen_ai.client.token.usage";
  public static final String METRIC_TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
  public static final String METRIC_COST = "aperture.client.cost";
}
