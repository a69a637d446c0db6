package dev.enroll.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamePatternTest {
  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
      "{externalId}.devices.example.internal, sensor-1.devices.example.internal, true",
      "{externalId}.devices.example.internal, SENSOR-1.devices.example.internal, true",
      "{externalId}.devices.example.internal, sensor-2.devices.example.internal, false",
      "{externalId}.devices.example.internal, x.sensor-1.devices.example.internal, false",
      "*.example.internal, a.example.internal, true",
      "*.example.internal, a.b.example.internal, false",
      "**.example.internal, a.b.example.internal, true",
      "**, anything at all, true",
      "a.b, aXb, false",
  })
  void dnsPatternsMatchWholeNamesIgnoringCase(String pattern, String name, boolean matches) {
    assertThat(NamePattern.of(pattern, true).matches(name, "sensor-1")).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
      "spiffe://example.internal/device/{externalId}, spiffe://example.internal/device/s1, true",
      "spiffe://example.internal/device/{externalId}, spiffe://example.internal/device/S1, false",
      "spiffe://example.internal/*/{externalId}, spiffe://example.internal/x/s1, true",
      "spiffe://example.internal/*/{externalId}, spiffe://example.internal/x/y/s1, false",
  })
  void uriPatternsAreCaseSensitive(String pattern, String name, boolean matches) {
    assertThat(NamePattern.of(pattern, false).matches(name, "s1")).isEqualTo(matches);
  }

  @ParameterizedTest(name = "externalId {0}")
  @CsvSource({"a.b", "a*", "(x)", "\\E.*"})
  void externalIdIsMatchedLiterallyNeverAsARegex(String externalId) {
    NamePattern pattern = NamePattern.of("{externalId}.example.internal", true);
    assertThat(pattern.matches(externalId + ".example.internal", externalId)).isTrue();
    assertThat(pattern.matches("zz.example.internal", externalId)).isFalse();
  }
}
