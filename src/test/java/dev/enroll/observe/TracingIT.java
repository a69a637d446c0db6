package dev.enroll.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.testing.Csrs;
import dev.enroll.testing.TestServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each enrollment is one trace: a span per step, attributes without secrets. */
class TracingIT {
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("enroll.outcome");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("enroll.reason");

  @TempDir static Path directory;
  static InMemorySpanExporter spans = InMemorySpanExporter.create();
  static TestServer server;

  @BeforeAll
  static void start() {
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    server = TestServer.startTraced(directory, sdk);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void clear() {
    spans.reset();
  }

  @Test
  void enrollmentIsATraceWithASpanPerStep() {
    String token = server.token("devices");

    HttpResponse<String> response = server.enroll(TestServer.enrollment("devices",
        "traced-1", token, Csrs.p256("traced-1")));

    assertThat(response.statusCode()).isEqualTo(201);
    List<SpanData> finished = spans.getFinishedSpanItems();
    SpanData root = finished.stream().filter(s -> s.getName().equals("enroll")).findFirst()
        .orElseThrow();
    Map<String, SpanData> children = finished.stream()
        .filter(s -> s.getParentSpanId().equals(root.getSpanId()))
        .collect(Collectors.toMap(SpanData::getName, s -> s));
    assertThat(children).containsOnlyKeys("enroll.limits", "enroll.attest", "enroll.policy",
        "enroll.sign", "enroll.store");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("enroll.tenant")))
        .isEqualTo("default");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("enroll.profile")))
        .isEqualTo("devices");
    assertThat(root.getAttributes().get(AttributeKey.stringKey("enroll.method")))
        .isEqualTo("token");
    assertThat(root.getAttributes().get(OUTCOME)).isEqualTo("issued");
    assertThat(finished.toString()).doesNotContain(token).doesNotContain("BEGIN");
  }

  @Test
  void refusalEndsTheTraceAtTheFailingStep() {
    HttpResponse<String> response = server.enroll(TestServer.enrollment("devices",
        "traced-2", "ejt_not-a-token", Csrs.p256("traced-2")));

    assertThat(response.statusCode()).isEqualTo(401);
    List<SpanData> finished = spans.getFinishedSpanItems();
    SpanData attest = finished.stream().filter(s -> s.getName().equals("enroll.attest"))
        .findFirst().orElseThrow();
    assertThat(attest.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attest.getAttributes().get(REASON)).isEqualTo("token-invalid");
    SpanData root = finished.stream().filter(s -> s.getName().equals("enroll")).findFirst()
        .orElseThrow();
    assertThat(root.getAttributes().get(OUTCOME)).isEqualTo("refused");
    assertThat(finished).noneMatch(s -> s.getName().equals("enroll.sign"));
    assertThat(finished.toString()).doesNotContain("ejt_not-a-token");
  }

  @Test
  void clientsTraceparentMakesTheEnrollmentPartOfItsTrace() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String token = server.token("devices");

    server.enroll(TestServer.enrollment("devices", "traced-3", token,
        Csrs.p256("traced-3")), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");

    SpanData root = spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals("enroll")).findFirst().orElseThrow();
    assertThat(root.getTraceId()).isEqualTo(traceId);
    assertThat(root.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
  }

  @Test
  void otelVariablesExportSpansOverOtlp() throws Exception {
    java.util.concurrent.BlockingQueue<String> received =
        new java.util.concurrent.LinkedBlockingQueue<>();
    com.sun.net.httpserver.HttpServer collector = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext("/v1/traces", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      received.add(exchange.getRequestHeaders().getFirst("Content-Type") + " "
          + new String(body, java.nio.charset.StandardCharsets.ISO_8859_1));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
    Path home = java.nio.file.Files.createDirectories(directory.resolve("otlp"));
    try (TestServer exporting = TestServer.startWithEnvironment(home, Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort(),
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_BSP_SCHEDULE_DELAY", "100"))) {
      String token = exporting.token("devices");
      exporting.enroll(TestServer.enrollment("devices", "exported-1", token,
          Csrs.p256("exported-1")));

      String export = received.poll(20, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(export).isNotNull().startsWith("application/x-protobuf")
          .contains("enroll.attest").contains("enroll").doesNotContain(token);
    } finally {
      collector.stop(0);
    }
  }
}
