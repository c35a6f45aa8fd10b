package dev.aperture.config;

import dev.aperture.config.internal.ConfigParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A loaded, validated Aperture configuration.
 *
 * <p>Load one with {@link #load(Path)}, {@link #parse(String)} or {@link #parse(Reader, String)}. The text
 * is HuJSON: JSON with {@code //} and {@code /* *}{@code /} comments and trailing commas. {@code ${VAR}} in
 * an {@code apikey} is resolved from the environment at load time. Every problem found is reported at once
 * in one {@link ConfigurationException}, each with its JSON path and line; warnings (unknown top-level
 * keys, a provider without a key) are in {@link #warnings()} and logged.
 *
 * @param providers the {@code providers} entries in file order
 * @param grants the {@code grants}; empty means none were configured
 * @param hasGrants whether the file had a {@code grants} key at all, even an empty one; the Router's grants
 *     policy denies by default either way (use {@code AccessPolicy.allowAll()} to opt out)
 * @param source where the text came from, for messages (a path or a name)
 */
public record ApertureConfig(
    Map<String, ProviderConfig> providers,
    List<Grant> grants,
    boolean hasGrants,
    Map<String, Quota> quotas,
    Map<String, Hook> hooks,
    List<String> warnings,
    String source) {

  public ApertureConfig {
    providers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(providers));
    grants = List.copyOf(grants);
    quotas = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(quotas));
    hooks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hooks));
    warnings = List.copyOf(warnings);
  }

  /** Reads and validates the file at {@code path} (UTF-8). */
  public static ApertureConfig load(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("", "cannot read " + path + ": " + e.getMessage());
    }
    return ConfigParser.parse(text, path.toString(), System::getenv);
  }

  /** Parses and validates configuration text. */
  public static ApertureConfig parse(String text) {
    return ConfigParser.parse(text, "<string>", System::getenv);
  }

  /** Reads all of {@code reader} and parses it; {@code sourceName} names it in messages. */
  public static ApertureConfig parse(Reader reader, String sourceName) {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    try {
      for (int n; (n = reader.read(buffer)) != -1; ) text.append(buffer, 0, n);
    } catch (IOException e) {
      throw new ConfigurationException("", "cannot read " + sourceName + ": " + e.getMessage());
    }
    return ConfigParser.parse(text.toString(), sourceName, System::getenv);
  }

  /**
   * Parses with {@code environment} instead of the process environment for {@code ${VAR}}: for tests and
   * for applications that keep secrets elsewhere. {@code environment} returns null for an unset name.
   */
  public static ApertureConfig parse(String text, String sourceName,
      Function<String, @Nullable String> environment) {
    return ConfigParser.parse(text, sourceName, environment);
  }

  /** The entries routing may use: those not {@code disabled}. */
  public List<ProviderConfig> enabledProviders() {
    return providers.values().stream().filter(p -> !p.disabled()).toList();
  }
}
