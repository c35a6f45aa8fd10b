package dev.aperture.examples;

import dev.aperture.ApertureException;
import dev.aperture.Caller;
import dev.aperture.Router;
import dev.aperture.VerifyResult;
import dev.aperture.examples.internal.Demo;
import dev.aperture.examples.internal.VerifyTable;
import dev.aperture.openrouter.OpenRouterProviderFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Aperture's Models tab as a command: checks every enabled model (or the ones named) with a minimal real
 * chat call as a given caller, and prints model, provider, ✓ or ✗, latency and, for ✗, why.
 *
 * <pre>
 * Verify [--config FILE] [--as LOGIN] [--group NAME]... [--tag NAME]... [MODEL]...
 * </pre>
 *
 * Exit status: 0 when every check passed, 1 when any failed, 2 for bad arguments or configuration.
 */
public final class Verify {
  private Verify() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System::getenv, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, Function<String, @Nullable String> environment, PrintStream out,
      PrintStream err) {
    Path config = Demo.defaultConfigPath();
    String login = "";
    List<String> groups = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    List<String> models = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      boolean hasValue = i + 1 < args.length;
      switch (arg) {
        case "--config", "--as", "--group", "--tag" -> {
          if (!hasValue) return usage(err, arg + " needs a value");
          String value = args[++i];
          switch (arg) {
            case "--config" -> config = Path.of(value);
            case "--as" -> login = value;
            case "--group" -> groups.add(value.startsWith("group:") ? value.substring(6) : value);
            default -> tags.add(value.startsWith("tag:") ? value.substring(4) : value);
          }
        }
        case "-h", "--help" -> {
          usage(out, null);
          return 0;
        }
        default -> {
          if (arg.startsWith("-")) return usage(err, "unknown option " + arg);
          models.add(arg);
        }
      }
    }
    Caller caller = new Caller(login, java.util.Set.copyOf(groups), java.util.Set.copyOf(tags));
    try (Demo demo = Demo.start(config, environment, out)) {
      Router router = Router.builder()
          .config(demo.config())
          .addProviderFactory(new OpenRouterProviderFactory())
          .build();
      out.println("Verifying as " + (caller.isAnonymous() ? "an anonymous caller" : describe(caller)) + ":");
      List<VerifyResult> results = models.isEmpty() ? router.verifyAll(caller) : router.verify(caller, models);
      // Reasons quote upstream errors, which may quote a key or header value back: never print them.
      out.print(demo.redactor().redact(VerifyTable.render(results)));
      if (results.isEmpty()) {
        err.println("nothing to verify: the configuration has no enabled models");
        return 1;
      }
      return results.stream().allMatch(VerifyResult::ok) ? 0 : 1;
    } catch (ApertureException e) {
      err.println(e.getMessage());
      return 2;
    }
  }

  private static String describe(Caller caller) {
    StringBuilder result = new StringBuilder(caller.login());
    for (String group : caller.groups()) result.append(" group:").append(group);
    for (String tag : caller.tags()) result.append(" tag:").append(tag);
    return result.toString();
  }

  private static int usage(PrintStream stream, @Nullable String problem) {
    if (problem != null) stream.println(problem);
    stream.println("usage: Verify [--config FILE] [--as LOGIN] [--group NAME]... [--tag NAME]... [MODEL]...");
    return 2;
  }
}
