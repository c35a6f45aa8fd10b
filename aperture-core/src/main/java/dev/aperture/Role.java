package dev.aperture;

import java.util.Objects;

/**
 * A message's role. An open value: the well-known roles are constants, and any other string the wire
 * carries (such as {@code developer}) is kept as it is.
 */
public record Role(String value) {
  public static final Role SYSTEM = new Role("system");
  public static final Role USER = new Role("user");
  public static final Role ASSISTANT = new Role("assistant");
  public static final Role TOOL = new Role("tool");

  public Role {
    Objects.requireNonNull(value, "value == null");
  }

  public static Role of(String value) {
    return switch (value) {
      case "system" -> SYSTEM;
      case "user" -> USER;
      case "assistant" -> ASSISTANT;
      case "tool" -> TOOL;
      default -> new Role(value);
    };
  }

  @Override
  public String toString() {
    return value;
  }
}
