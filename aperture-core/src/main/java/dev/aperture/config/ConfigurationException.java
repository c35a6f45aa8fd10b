package dev.aperture.config;

import dev.aperture.ApertureException;
import java.util.List;

/**
 * The configuration is invalid. Lists every problem found, each with its JSON path and line, not just the
 * first.
 */
public final class ConfigurationException extends ApertureException {
  private final List<ConfigProblem> problems;

  public ConfigurationException(List<ConfigProblem> problems) {
    super(message(problems));
    if (problems.isEmpty()) throw new IllegalArgumentException("problems is empty");
    this.problems = List.copyOf(problems);
  }

  public ConfigurationException(String path, String message) {
    this(List.of(new ConfigProblem(path, 0, message)));
  }

  private static String message(List<ConfigProblem> problems) {
    if (problems.size() == 1) return "invalid Aperture configuration: " + problems.get(0);
    StringBuilder result = new StringBuilder("invalid Aperture configuration (")
        .append(problems.size()).append(" problems):");
    for (ConfigProblem problem : problems) result.append("\n  ").append(problem);
    return result.toString();
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
