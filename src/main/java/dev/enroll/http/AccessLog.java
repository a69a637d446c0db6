package dev.enroll.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One access line per request (logger {@code enroll.access}) and the request metric
 * {@code enroll_http_request_duration_seconds{port,method,route,status}}. Only the matched
 * route template is written, never the raw path, so client text cannot forge log lines.
 */
public final class AccessLog {
  /** Histogram buckets, few enough for labels of route and status. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5)
  };

  private static final Logger LOG = LoggerFactory.getLogger("enroll.access");

  private final MeterRegistry registry;
  private static final java.util.Set<String> QUIET_ROUTES =
      java.util.Set.of("/healthz", "/readyz", "/metrics");

  private final String port;

  /**
   * An access log for one port.
   *
   * @param registry where request metrics go
   * @param port {@code api} or {@code plain}
   */
  public AccessLog(MeterRegistry registry, String port) {
    this.registry = registry;
    this.port = port;
  }

  private static String route(Context ctx) {
    try {
      return ctx.endpointHandlerPath();
    } catch (IllegalStateException noEndpoint) {
      // Javalin answered before any route matched (404, 405).
      return null;
    }
  }

  /**
   * Records a finished request.
   *
   * @param ctx the request
   * @param millis its duration in milliseconds
   */
  public void record(Context ctx, Float millis) {
    int status = ctx.statusCode();
    String route = route(ctx);
    if (route == null || route.isEmpty() || "*".equals(route)) {
      route = "unmatched";
    }
    // The method sent, not one a header names in its place (bounded by Javalin's list).
    String method = HandlerType.Companion.findByName(ctx.req().getMethod()).name();
    // Level by status class; probes and scrapes only when debugging.
    Level level = status >= 500 ? Level.ERROR
        : QUIET_ROUTES.contains(route) && status < 400 ? Level.DEBUG : Level.INFO;
    LOG.atLevel(level)
        .addKeyValue("method", method)
        .addKeyValue("route", route)
        .addKeyValue("status", status)
        .addKeyValue("durationMs", Math.round(millis * 100) / 100.0)
        .addKeyValue("requestId", RequestIds.of(ctx))
        .addKeyValue("port", port)
        .addKeyValue("client", ctx.ip())
        .log("request served");
    Timer.builder("enroll_http_request_duration")
        .description("HTTP requests by port, route and status")
        .tag("port", port)
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(Duration.ofNanos((long) (millis * 1_000_000)));
  }
}
