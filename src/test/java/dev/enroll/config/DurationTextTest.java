package dev.enroll.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({"90s, PT1M30S", "15m, PT15M", "24h, PT24H", "7d, PT168H", "PT1H, PT1H"})
  void shortAndIsoFormsParse(String text, String iso) {
    assertThat(DurationText.parse("k", text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"forever", "-1h", "0s", "1y", "h", ""})
  void invalidDurationNamesTheKey(String text) {
    assertThatThrownBy(() -> DurationText.parse("ca.backdate", text))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ca.backdate");
  }
}
