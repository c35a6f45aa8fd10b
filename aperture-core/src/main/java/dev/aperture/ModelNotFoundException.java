package dev.aperture;

import java.util.List;

/** No enabled provider serves the requested model. Carries the nearest configured names. */
public final class ModelNotFoundException extends ApertureException {
  private final String model;
  private final List<String> suggestions;

  public ModelNotFoundException(String model, List<String> suggestions) {
    super(message(model, suggestions));
    this.model = model;
    this.suggestions = List.copyOf(suggestions);
  }

  private static String message(String model, List<String> suggestions) {
    StringBuilder result = new StringBuilder()
        .append("model '").append(model).append("' not found");
    if (!suggestions.isEmpty()) {
      result.append("; did you mean ");
      for (int i = 0; i < suggestions.size(); i++) {
        if (i > 0) result.append(i == suggestions.size() - 1 ? " or " : ", ");
        result.append('\'').append(suggestions.get(i)).append('\'');
      }
      result.append('?');
    } else {
      result.append(": check your provider configuration and that the model name is correct");
    }
    return result.toString();
  }

  /** The model name as the caller asked for it. */
  public String model() {
    return model;
  }

  /** Configured model names close to {@link #model()}, nearest first; possibly empty. */
  public List<String> suggestions() {
    return suggestions;
  }
}
