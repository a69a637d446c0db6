package dev.enroll.observe;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OpenTelemetry tracing, configured by the standard {@code OTEL_*} environment variables
 * and off unless they ask for it: {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or its
 * {@code _TRACES_} form) or {@code OTEL_TRACES_EXPORTER} set to an exporter turns it on.
 * Only traces are exported this way; metrics stay on {@code /metrics}.
 */
public final class Tracing {
  /** The instrumentation scope of Enroll's spans. */
  public static final String SCOPE = "dev.enroll";

  private Tracing() {}

  /**
   * The OpenTelemetry the environment asks for.
   *
   * @param environment the process environment
   * @return an SDK exporting traces, or the no-op instance
   */
  public static OpenTelemetry fromEnvironment(Map<String, String> environment) {
    if (!wanted(environment)) {
      return OpenTelemetry.noop();
    }
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.service.name", "enroll");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    environment.forEach((name, value) -> {
      if (name.startsWith("OTEL_")) {
        properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    return AutoConfiguredOpenTelemetrySdk.builder()
        .disableShutdownHook()
        .addPropertiesSupplier(() -> properties)
        .build()
        .getOpenTelemetrySdk();
  }

  static boolean wanted(Map<String, String> environment) {
    if ("true".equalsIgnoreCase(environment.get("OTEL_SDK_DISABLED"))) {
      return false;
    }
    String exporter = environment.get("OTEL_TRACES_EXPORTER");
    if (exporter != null && !exporter.isBlank()) {
      return !"none".equalsIgnoreCase(exporter.trim());
    }
    return isSet(environment, "OTEL_EXPORTER_OTLP_ENDPOINT")
        || isSet(environment, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  }

  private static boolean isSet(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value != null && !value.isBlank();
  }
}
