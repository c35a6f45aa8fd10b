package dev.aperture.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

final class HttpTest {
  @Test
  void boundsRequestAndResponseTimeWhenTheApplicationHasNotChosen() {
    Properties properties = new Properties();
    Http.applyTimeoutDefaults(properties);
    assertThat(properties.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("30");
    assertThat(properties.getProperty("sun.net.httpserver.maxRspTime")).isEqualTo("600");
  }

  @Test
  void keepsLimitsTheApplicationSetItself() {
    Properties properties = new Properties();
    properties.setProperty("sun.net.httpserver.maxReqTime", "5");
    properties.setProperty("sun.net.httpserver.maxRspTime", "-1");
    Http.applyTimeoutDefaults(properties);
    assertThat(properties.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("5");
    assertThat(properties.getProperty("sun.net.httpserver.maxRspTime")).isEqualTo("-1");
  }
}
