package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterceptorTest {
  private final FakeProvider provider = new FakeProvider("local");

  @Test
  void interceptorsRunInOrderAndCanRewriteTheRequest() {
    List<String> order = new ArrayList<>();
    Router router = Router.builder()
        .addProvider(provider, List.of("m"))
        .addInterceptor(chain -> {
          order.add("first");
          return chain.proceed(chain.request().newBuilder().put("user", chain.caller().login()).build());
        })
        .addInterceptor(chain -> {
          order.add("second saw user=" + chain.request().parameter("user"));
          return chain.proceed(chain.request());
        })
        .build();

    router.chat(Caller.of("alice"), ChatRequest.of("m", "hi"));

    assertThat(order).containsExactly("first", "second saw user=alice");
    assertThat(provider.requests.get(0).parameter("user")).isEqualTo("alice");
  }

  @Test
  void interceptorCanShortCircuitWithoutReachingAProvider() {
    ChatResponse canned = provider.answer(ChatRequest.of("m", "cached"));
    Router router = Router.builder()
        .addProvider(provider, List.of("m"))
        .addInterceptor(chain -> Exchange.of(canned))
        .build();

    assertThat(router.chat(ChatRequest.of("m", "hi"))).isSameAs(canned);
    assertThat(provider.requests).isEmpty();
  }

  @Test
  void onResponseObservesPlainAndStreamedCallsAlike() {
    List<String> seen = new ArrayList<>();
    Router router = Router.builder()
        .addProvider(provider, List.of("m"))
        .addInterceptor(chain -> chain.proceed(chain.request())
            .onResponse(response -> seen.add((chain.streaming() ? "stream:" : "chat:") + response.text())))
        .build();

    router.chat(ChatRequest.of("m", "hi"));
    try (ChatStream stream = router.stream(ChatRequest.of("m", "hi"))) {
      assertThat(seen).containsExactly("chat:local says: hi"); // not yet: the stream has not ended
      stream.forEach(chunk -> { });
    }

    assertThat(seen).containsExactly("chat:local says: hi", "stream:Hello");
  }

  @Test
  void interceptorsSeeRoutingErrorsAsExceptions() {
    List<Throwable> errors = new ArrayList<>();
    Router router = Router.builder()
        .addProvider(provider, List.of("m"))
        .addInterceptor(chain -> {
          try {
            return chain.proceed(chain.request());
          } catch (ApertureException e) {
            errors.add(e);
            throw e;
          }
        })
        .build();

    assertThatThrownBy(() -> router.chat(ChatRequest.of("nope", "hi")))
        .isInstanceOf(ModelNotFoundException.class);
    assertThat(errors).singleElement().isInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void interceptorReturningTheWrongKindOfExchangeIsACleanError() {
    ChatResponse canned = provider.answer(ChatRequest.of("m", "x"));
    Router router = Router.builder()
        .addProvider(provider, List.of("m"))
        .addInterceptor(chain -> Exchange.of(canned))
        .build();

    assertThatThrownBy(() -> router.stream(ChatRequest.of("m", "hi")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned a plain response for a streamed call");
  }

  @Test
  void onResponseIsNotCalledForAStreamClosedBeforeItsEnd() {
    List<String> seen = new ArrayList<>();
    provider.streamScript = List.of(FakeProvider.chunk("a", null), FakeProvider.chunk("b", null),
        FakeProvider.chunk("c", FinishReason.STOP));
    Router router = Router.builder()
        .addProvider(provider, List.of("m"))
        .addInterceptor(chain -> chain.proceed(chain.request()).onResponse(r -> seen.add(r.text())))
        .build();

    ChatStream stream = router.stream(ChatRequest.of("m", "hi"));
    var chunks = stream.iterator();
    chunks.next();
    stream.close();

    assertThat(chunks.hasNext()).isFalse();
    assertThat(stream.isComplete()).isFalse();
    assertThat(seen).isEmpty();
  }
}
