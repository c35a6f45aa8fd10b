package dev.aperture.examples;

import dev.aperture.ApertureException;
import dev.aperture.Redactor;
import dev.aperture.Router;
import dev.aperture.config.ConfigProblem;
import dev.aperture.config.ConfigurationException;
import dev.aperture.examples.internal.Demo;
import dev.aperture.gateway.ApertureGateway;
import dev.aperture.openrouter.OpenRouterProviderFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI-compatible gateway in front of the Router, on 127.0.0.1: coding tools and OpenAI clients
 * point their base URL at it and get the configuration's models, grants and keys. The server is
 * {@link ApertureGateway} (module {@code aperture-gateway}); this class reads the flags and the file.
 *
 * <pre>
 * Gateway [--config FILE] [--offline] [--port PORT] [--trust-group-headers]
 *         [--max-request-seconds N] [--max-response-seconds N]
 * </pre>
 *
 * <p>Which upstream: with {@code --config FILE} the file is used exactly as written (a missing
 * {@code ${OPENROUTER_API_KEY}} is a configuration error, not a silent switch to a stand-in). Without it,
 * the examples' own file is used, online when {@code OPENROUTER_API_KEY} is set and otherwise against an
 * embedded OpenRouter stand-in, as the first line says. {@code --offline} asks for the stand-in
 * explicitly, with any file.
 *
 * <p>Defaults: port 8787; a client has 30 s to send its whole request, and a response (a stream included)
 * may last 600 s. Both are options of this server ({@link ApertureGateway.Builder#requestTimeout},
 * {@link ApertureGateway.Builder#responseTimeout}), nothing JVM-wide. Ctrl-C stops it gracefully: new
 * calls get 503 and calls in flight have 10 s to finish.
 */
public final class Gateway {
  public static final int DEFAULT_PORT = ApertureGateway.DEFAULT_PORT;
  private static final String USAGE = "Gateway [--config FILE] [--offline] [--port PORT] [--trust-group-headers]"
      + " [--max-request-seconds N] [--max-response-seconds N]";

  private Gateway() {
  }

  public static void main(String[] args) throws InterruptedException {
    Running running = launch(args, System::getenv, System.out, System.err);
    if (running == null) {
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }));
    stopped.await();
  }

  /** A started gateway and the demo configuration behind it; closing stops both. */
  public record Running(ApertureGateway gateway, Demo demo) implements AutoCloseable {
    @Override
    public void close() {
      gateway.close();
      demo.close();
    }
  }

  /**
   * Parses {@code args}, loads the configuration and starts the gateway, printing what it serves to
   * {@code out}. On a bad flag, a configuration problem or a port in use it prints a clean message (one
   * line per configuration problem, no stack trace) to {@code err} and returns null.
   */
  public static @Nullable Running launch(String[] args, Function<String, @Nullable String> environment,
      PrintStream out, PrintStream err) {
    Path config = Demo.defaultConfigPath();
    boolean explicitConfig = false;
    boolean offline = false;
    ApertureGateway.Builder builder = ApertureGateway.builder().port(DEFAULT_PORT);
    boolean trusted = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--config" -> {
            config = Path.of(requireValue(args, i++));
            explicitConfig = true;
          }
          case "--offline" -> offline = true;
          case "--port" -> builder.port(port(args, i++));
          case "--trust-group-headers" -> trusted = true;
          case "--max-request-seconds" -> builder.requestTimeout(Duration.ofSeconds(seconds(args, i++)));
          case "--max-response-seconds" -> builder.responseTimeout(Duration.ofSeconds(seconds(args, i++)));
          case "-h", "--help" -> {
            out.println("usage: " + USAGE);
            return null;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("Gateway: " + e.getMessage());
      err.println("usage: " + USAGE);
      return null;
    }
    builder.trustGroupAndTagHeaders(trusted);

    Demo demo;
    try {
      if (offline) demo = Demo.startOffline(config, environment, out, "--offline is given");
      else if (explicitConfig) demo = Demo.startAsWritten(config, environment, out);
      else demo = Demo.start(config, environment, out);
    } catch (ConfigurationException e) {
      printProblems(config, e, err);
      return null;
    } catch (ApertureException | java.io.UncheckedIOException e) {
      err.println("Gateway: " + e.getMessage());
      return null;
    }
    Redactor redactor = demo.redactor();
    try {
      Router router = Router.builder()
          .config(demo.config())
          .addProviderFactory(new OpenRouterProviderFactory())
          .build();
      ApertureGateway gateway = builder.router(router).redactor(redactor).build();
      gateway.start();
      printBanner(gateway, trusted, out);
      return new Running(gateway, demo);
    } catch (ConfigurationException e) {
      demo.close();
      printProblems(config, e, err, redactor);
      return null;
    } catch (IOException | ApertureException e) {
      demo.close();
      err.println("Gateway: " + redactor.redact(String.valueOf(e.getMessage())));
      return null;
    }
  }

  private static void printBanner(ApertureGateway gateway, boolean trusted, PrintStream out) {
    out.println("Aperture gateway on " + gateway.baseUrl() + " (OpenAI API; Ctrl-C to stop)");
    out.println("Callers: header " + ApertureGateway.LOGIN_HEADER
        + (trusted
            ? " + " + ApertureGateway.GROUPS_HEADER + " and " + ApertureGateway.TAGS_HEADER
                + " (trusted: your proxy must set AND strip them)"
            : "; " + ApertureGateway.GROUPS_HEADER + "/" + ApertureGateway.TAGS_HEADER + " ignored")
        + ", else anonymous. Try:");
    out.println("  curl -s " + gateway.baseUrl() + "/models -H '" + ApertureGateway.LOGIN_HEADER
        + ": alice@example.com'");
  }

  private static void printProblems(Path config, ConfigurationException e, PrintStream err) {
    printProblems(config, e, err, Redactor.none());
  }

  /** One line per problem: where, then what. */
  private static void printProblems(Path config, ConfigurationException e, PrintStream err, Redactor redactor) {
    int count = e.problems().size();
    err.println("Gateway: " + config + " has " + count + (count == 1 ? " problem:" : " problems:"));
    for (ConfigProblem problem : e.problems()) {
      err.println("  " + redactor.redact(problem.toString().replaceAll("\\s+", " ")));
    }
  }

  private static int port(String[] args, int i) {
    String value = requireValue(args, i);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port needs a number; got " + value);
    }
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
