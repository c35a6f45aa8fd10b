package dev.aperture.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Lua script run by its SHA-1, which is computed here so no round trip is needed to learn it. */
public final class Script {
  private final String name;
  private final String source;
  private final String sha;

  private Script(String name, String source) {
    this.name = name;
    this.source = source;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      this.sha = HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The resource {@code name} of this package, after the resources {@code libraries}. */
  public static Script load(String name, String... libraries) {
    StringBuilder source = new StringBuilder();
    for (String library : libraries) source.append(resource(library)).append('\n');
    source.append(resource(name));
    return new Script(name, source.toString());
  }

  /** The text of a resource of this package. */
  public static String resource(String name) {
    try (InputStream in = Script.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public String source() {
    return source;
  }

  public String sha() {
    return sha;
  }
}
