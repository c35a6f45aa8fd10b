package dev.aperture.examples;

import dev.aperture.Router;
import dev.aperture.examples.internal.Demo;
import dev.aperture.examples.internal.GatewayServer;
import dev.aperture.examples.internal.Http;
import dev.aperture.openrouter.OpenRouterProviderFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * An OpenAI-compatible gateway in front of the Router, on 127.0.0.1: coding tools and OpenAI clients
 * point their base URL at it and get the configuration's models, grants and keys.
 *
 * <pre>
 * Gateway [--config FILE] [--port PORT] [--trust-group-headers]
 *         [--max-request-seconds N] [--max-response-seconds N]
 * </pre>
 *
 * <p>Defaults: port 8787; a client has 30 s to send its whole request and a response (a stream
 * included) may last 600 s, after which the connection is closed. These two limits are the JDK server's
 * JVM-wide {@code sun.net.httpserver.maxReqTime}/{@code maxRspTime}; the flags set them before any
 * server starts, and {@code -D} settings are kept when no flag is given.
 *
 * <p>Endpoints: {@code POST /v1/chat/completions} (plain and streamed), {@code GET /v1/models},
 * {@code POST /v1/responses}. The caller is taken from the {@code Tailscale-User-Login} header that an
 * authenticating proxy in front sets; without it the caller is anonymous and only {@code "*"} grants
 * apply. {@code --trust-group-headers} also honours {@code Aperture-User-Groups} and
 * {@code Aperture-User-Tags}: use it only when your proxy sets AND strips these headers, or any client
 * can claim any group.
 */
public final class Gateway {
  public static final int DEFAULT_PORT = 8787;
  private static final String USAGE = "Gateway [--config FILE] [--port PORT] [--trust-group-headers]"
      + " [--max-request-seconds N] [--max-response-seconds N]";

  private Gateway() {
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    Path config = Demo.defaultConfigPath();
    int port = DEFAULT_PORT;
    GatewayServer.Options options = GatewayServer.Options.defaults();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = Path.of(requireValue(args, i++));
        case "--port" -> port = Integer.parseInt(requireValue(args, i++));
        case "--trust-group-headers" -> options = options.withTrustedGroupAndTagHeaders(true);
        // The JDK server reads these once, when the first server starts: set them before anything does.
        case "--max-request-seconds" -> System.setProperty(Http.MAX_REQUEST_TIME_PROPERTY,
            Long.toString(seconds(args, i++)));
        case "--max-response-seconds" -> System.setProperty(Http.MAX_RESPONSE_TIME_PROPERTY,
            Long.toString(seconds(args, i++)));
        default -> throw new IllegalArgumentException("usage: " + USAGE + "; got " + args[i]);
      }
    }
    Demo demo = Demo.start(config, System::getenv, System.out);
    GatewayServer gateway = start(demo, port, options, System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      demo.close();
      stopped.countDown();
    }));
    stopped.await();
  }

  /** Builds the Router from the demo's configuration and starts the gateway in front of it. */
  public static GatewayServer start(Demo demo, int port, PrintStream out) throws IOException {
    return start(demo, port, GatewayServer.Options.defaults(), out);
  }

  public static GatewayServer start(Demo demo, int port, GatewayServer.Options options, PrintStream out)
      throws IOException {
    Router router = Router.builder()
        .config(demo.config())
        .addProviderFactory(new OpenRouterProviderFactory())
        .build();
    GatewayServer gateway = GatewayServer.start(router, port, options);
    out.println("Aperture gateway on " + gateway.baseUrl() + " (OpenAI API; Ctrl-C to stop)");
    out.println("Callers: header " + GatewayServer.LOGIN_HEADER
        + (options.trustGroupAndTagHeaders()
            ? " + " + GatewayServer.GROUPS_HEADER + " and " + GatewayServer.TAGS_HEADER
                + " (trusted: your proxy must set AND strip them)"
            : "; " + GatewayServer.GROUPS_HEADER + "/" + GatewayServer.TAGS_HEADER + " ignored")
        + ", else anonymous. Try:");
    out.println("  curl -s " + gateway.baseUrl() + "/models -H '" + GatewayServer.LOGIN_HEADER
        + ": alice@example.com'");
    return gateway;
  }

  private static long seconds(String[] args, int i) {
    String value = requireValue(args, i);
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(args[i] + " needs a whole number of seconds; got " + value);
    }
    if (seconds < 1) throw new IllegalArgumentException(args[i] + " must be at least 1; got " + value);
    return seconds;
  }

  private static String requireValue(String[] args, int i) {
    if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
    return args[i + 1];
  }
}
