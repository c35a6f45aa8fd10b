package dev.aperture.config;

/**
 * One thing wrong with a configuration.
 *
 * @param path where, as a JSON path such as {@code providers.openrouter.models[2]}; empty for the document
 * @param line the 1-based line in the source text, or 0 if unknown
 * @param message what is wrong, never containing a secret's value
 */
public record ConfigProblem(String path, int line, String message) {
  @Override
  public String toString() {
    StringBuilder result = new StringBuilder();
    result.append(path.isEmpty() ? "(document)" : path);
    if (line > 0) result.append(" (line ").append(line).append(')');
    return result.append(": ").append(message).toString();
  }
}
