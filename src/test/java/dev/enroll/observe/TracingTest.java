package dev.enroll.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {
  @Test
  void tracingIsOffWithoutOtelVariables() {
    assertThat(Tracing.fromEnvironment(Map.of("PATH", "/bin")))
        .isSameAs(OpenTelemetry.noop());
  }

  @Test
  void otlpEndpointTurnsTracingOn() {
    assertThat(Tracing.wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")))
        .isTrue();
    assertThat(Tracing.wanted(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
  }

  @Test
  void exporterNoneOrSdkDisabledKeepsItOff() {
    assertThat(Tracing.wanted(Map.of("OTEL_TRACES_EXPORTER", "none",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"))).isFalse();
    assertThat(Tracing.wanted(Map.of("OTEL_SDK_DISABLED", "true",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"))).isFalse();
  }
}
