package dev.enroll.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The two listeners: the HTTPS port for the API and the plain HTTP port for CA certificates,
 * health and metrics. Both answer every failure with a problem document, write one access
 * line per request, and drain in-flight requests when stopped.
 */
public final class HttpServers implements AutoCloseable {
  private static final long DRAIN_MILLIS = 10_000;
  private static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

  private final Javalin api;
  private final Javalin plain;
  private final Settings settings;

  /**
   * Listener settings.
   *
   * @param bind the address to listen on
   * @param httpsPort the API port (0 for any free port)
   * @param httpPort the plain port (0 for any free port)
   * @param keyStore the server's TLS key and chain, alias {@code server}
   * @param keyPassword the key entry's password
   * @param clientIssuers the CA certificates clients' certificates come from (mutual TLS)
   */
  public record Settings(
      String bind, int httpsPort, int httpPort, KeyStore keyStore, char[] keyPassword,
      List<X509Certificate> clientIssuers) {}

  /**
   * Builds both listeners; {@link #start()} opens them.
   *
   * @param settings ports and TLS material
   * @param json the API's JSON mapper
   * @param registry the metrics registry
   * @param apiRoutes adds the API routes
   * @param plainRoutes adds the plain port's routes
   */
  public HttpServers(
      Settings settings, ObjectMapper json, MeterRegistry registry,
      Consumer<Javalin> apiRoutes, Consumer<Javalin> plainRoutes) {
    this.settings = settings;
    Problems problems = new Problems(json);
    this.api = create(json, problems, new AccessLog(registry, "api"), true);
    this.plain = create(json, problems, new AccessLog(registry, "plain"), false);
    apiRoutes.accept(api);
    plainRoutes.accept(plain);
  }

  private Javalin create(ObjectMapper json, Problems problems, AccessLog log, boolean tls) {
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.useVirtualThreads = false;
      config.jsonMapper(new JavalinJackson(json, false));
      config.http.maxRequestSize = Bodies.MAX_BYTES;
      config.http.prefer405over404 = true;
      config.requestLogger.http(log::record);
      config.jetty.modifyServer(server -> {
        server.setStopTimeout(DRAIN_MILLIS);
        server.setErrorHandler(new JettyProblems());
      });
      config.jetty.modifyServletContextHandler(handler -> {
        handler.insertHandler(new StatisticsHandler());
        handler.setErrorHandler(new JettyProblems());
      });
      config.jetty.addConnector((server, http) -> {
        http.setSendServerVersion(false);
        ServerConnector connector = tls
            ? new ServerConnector(server, new SslConnectionFactory(sslContext(), "http/1.1"),
                new HttpConnectionFactory(secure(http)))
            : new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.bind());
        connector.setPort(tls ? settings.httpsPort() : settings.httpPort());
        return connector;
      });
    });
    app.before(RequestIds::assign);
    app.before(HttpServers::refuseMethodOverride);
    app.exception(Exception.class, problems::unexpected);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      app.error(status, ctx -> {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith(Problems.MEDIA_TYPE)) {
          problems.write(Problems.fromStatus(status), ctx);
        }
      });
    }
    return app;
  }

  /**
   * Javalin routes a request by its {@code X-HTTP-Method-Override} header when it has one,
   * so a GET could run a POST's handler past any proxy that filters by method: such a
   * request is refused before any route runs.
   */
  private static void refuseMethodOverride(Context ctx) {
    if (ctx.req().getHeader(METHOD_OVERRIDE) != null) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          METHOD_OVERRIDE + " is not honoured: send the request with its own method");
    }
  }

  private SslContextFactory.Server sslContext() {
    TrustManager[] trust = {new ClientCertificateTrust(settings.clientIssuers())};
    SslContextFactory.Server ssl = new SslContextFactory.Server() {
      @Override
      protected TrustManager[] getTrustManagers(KeyStore trustStore,
          Collection<? extends CRL> crls) {
        return trust.clone();
      }
    };
    ssl.setWantClientAuth(true);
    ssl.setKeyStore(settings.keyStore());
    ssl.setKeyStorePassword(new String(settings.keyPassword()));
    ssl.setCertAlias("server");
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    return ssl;
  }

  private static HttpConfiguration secure(HttpConfiguration plain) {
    HttpConfiguration https = new HttpConfiguration(plain);
    https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
    return https;
  }

  /** Opens both ports. */
  public void start() {
    api.start();
    plain.start();
  }

  /** The API port actually bound. */
  public int httpsPort() {
    return ((ServerConnector) api.jettyServer().server().getConnectors()[0]).getLocalPort();
  }

  /** The plain port actually bound. */
  public int httpPort() {
    return ((ServerConnector) plain.jettyServer().server().getConnectors()[0]).getLocalPort();
  }

  /** Stops accepting, lets in-flight requests finish (up to 10 s), then closes. */
  @Override
  public void close() {
    api.stop();
    plain.stop();
  }
}
