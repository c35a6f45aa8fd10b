package dev.aperture.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

final class HttpTest {
  @Test
  void boundsRequestAndResponseTimeWhenTheApplicationHasNotChosen() {
    Properties properties = new Properties();
    Http.applyServerDefaults(properties);
    assertThat(properties.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("30");
    assertThat(properties.getProperty("sun.net.httpserver.maxRspTime")).isEqualTo("600");
    assertThat(properties.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
  }

  @Test
  void keepsLimitsTheApplicationSetItself() {
    Properties properties = new Properties();
    properties.setProperty("sun.net.httpserver.maxReqTime", "5");
    properties.setProperty("sun.net.httpserver.maxRspTime", "-1");
    properties.setProperty("sun.net.httpserver.nodelay", "false");
    Http.applyServerDefaults(properties);
    assertThat(properties.getProperty("sun.net.httpserver.nodelay")).isEqualTo("false");
    assertThat(properties.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("5");
    assertThat(properties.getProperty("sun.net.httpserver.maxRspTime")).isEqualTo("-1");
  }
}
