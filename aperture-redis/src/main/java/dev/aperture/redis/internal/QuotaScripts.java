package dev.aperture.redis.internal;

/** The quota and cooldown scripts, each loaded once per JVM. */
public final class QuotaScripts {
  public static final String LIBRARY = "quota-lib.lua";
  public static final Script RESERVE = Script.load("reserve.lua", LIBRARY);
  public static final Script SETTLE = Script.load("settle.lua", LIBRARY);
  public static final Script RELEASE = Script.load("release.lua", LIBRARY);
  public static final Script BALANCES = Script.load("balances.lua", LIBRARY);
  public static final Script REFILL = Script.load("refill.lua", LIBRARY);
  public static final Script COOL_DOWN = Script.load("cooldown.lua");
  public static final Script CLAIM_PROBE = Script.load("claim-probe.lua");

  private QuotaScripts() {
  }
}
