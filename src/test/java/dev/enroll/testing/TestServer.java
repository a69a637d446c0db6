package dev.enroll.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.enroll.server.EnrollServer;
import dev.enroll.store.jdbc.JdbcStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An Enroll server started in this JVM on ephemeral loopback ports, with an HTTPS client
 * that trusts only the server's own root, as a real client would.
 */
public final class TestServer implements AutoCloseable {
  /** The tables a refused request must leave untouched. */
  public static final String[] RECORD_TABLES = {"subject", "enrollment", "credential"};

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path data;
  private final Path config;
  private final Clock clock;
  private EnrollServer server;
  private HttpClient client;
  private String adminKey;
  private Map<String, String> environment = Map.of("ENROLL_KEY_PASSPHRASE", "test passphrase");
  private io.opentelemetry.api.OpenTelemetry openTelemetry;

  private TestServer(Path data, Path config, Clock clock) {
    this.data = data;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Starts a server with the tests' configuration and more environment, such as
   * {@code ENROLL_SIGNER_FAULT_FILE}.
   *
   * @param directory a directory the test owns
   * @param more environment variables besides the key passphrase
   * @return the running server
   */
  public static TestServer startWithEnvironment(Path directory, Map<String, String> more) {
    TestServer server = prepare(directory, Clock.systemUTC(), "");
    Map<String, String> environment = new java.util.HashMap<>(server.environment);
    environment.putAll(more);
    server.environment = Map.copyOf(environment);
    server.boot();
    return server;
  }

  /**
   * Starts a server whose spans go to the given OpenTelemetry (an in-memory exporter).
   *
   * @param directory a directory the test owns
   * @param openTelemetry where spans go
   * @return the running server
   */
  public static TestServer startTraced(Path directory,
      io.opentelemetry.api.OpenTelemetry openTelemetry) {
    TestServer server = prepare(directory, Clock.systemUTC(), "");
    server.openTelemetry = openTelemetry;
    server.boot();
    return server;
  }

  /**
   * Starts a server on a new PostgreSQL database (the cluster {@code ./test} starts) with
   * the tests' configuration.
   *
   * @param directory a directory the test owns
   * @return the running server
   */
  public static TestServer startOnPostgres(Path directory) {
    return startOnPostgres(directory, Postgres.freshDatabase("server"));
  }

  /**
   * Starts a server on a PostgreSQL database with the tests' configuration.
   *
   * @param directory a directory the test owns (its data directory holds the CA)
   * @param url the database's JDBC URL
   * @return the running server
   */
  public static TestServer startOnPostgres(Path directory, String url) {
    TestServer server = prepare(directory, Clock.systemUTC(),
        "store:\n  url: \"" + url + "\"\n  poolSize: 10\n");
    server.environment = Map.of("ENROLL_KEY_PASSPHRASE", "test passphrase",
        "ENROLL_DB_USER", Postgres.user(), "ENROLL_DB_PASSWORD", Postgres.password());
    server.boot();
    return server;
  }

  /**
   * Starts a server on a new data directory with the tests' configuration.
   *
   * @param directory a directory the test owns
   * @return the running server
   */
  public static TestServer start(Path directory) {
    return start(directory, Clock.systemUTC());
  }

  /**
   * Starts a server on a new data directory with the tests' configuration and a clock.
   *
   * @param directory a directory the test owns
   * @param clock the server's clock
   * @return the running server
   */
  public static TestServer start(Path directory, Clock clock) {
    return start(directory, clock, "");
  }

  /**
   * Starts a server with the tests' configuration and more top-level sections.
   *
   * @param directory a directory the test owns
   * @param clock the server's clock
   * @param moreYaml top-level sections the tests' configuration lacks
   * @return the running server
   */
  public static TestServer start(Path directory, Clock clock, String moreYaml) {
    TestServer server = prepare(directory, clock, moreYaml);
    server.boot();
    return server;
  }

  private static TestServer prepare(Path directory, Clock clock, String moreYaml) {
    Path config = directory.resolve("enroll.yaml");
    try (InputStream in = TestServer.class.getResourceAsStream("/test-enroll.yaml")) {
      Files.write(config, in.readAllBytes());
      Files.writeString(config, "\n" + moreYaml, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TestServer(directory.resolve("data"), config, clock);
  }

  private void boot() {
    server = EnrollServer.start(new EnrollServer.Options(data, config, 0, 0, "127.0.0.1",
        clock, environment, openTelemetry));
    if (adminKey == null) {
      adminKey = server.bootstrapAdminKey().orElseGet(() -> {
        try {
          return Files.readString(data.resolve("admin.key")).trim();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    client = HttpClient.newBuilder()
        .sslContext(trusting(rootsPem()))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Stops the server and starts it again on the same data directory. */
  public void restart() {
    server.close();
    boot();
  }

  /** The running server. */
  public EnrollServer server() {
    return server;
  }

  /** The data directory. */
  public Path data() {
    return data;
  }

  /** The bootstrap admin key. */
  public String adminKey() {
    return adminKey;
  }

  /** An address on the HTTPS port. */
  public URI api(String path) {
    return URI.create("https://localhost:" + server.httpsPort() + path);
  }

  /** An address on the plain HTTP port. */
  public URI plain(String path) {
    return URI.create("http://127.0.0.1:" + server.httpPort() + path);
  }

  /** The root certificates, fetched over plain HTTP as a new client would. */
  public String rootsPem() {
    return get(HttpClient.newHttpClient(), plain("/ca/roots.pem")).body();
  }

  /** A GET on the plain port. */
  public HttpResponse<String> getPlain(String path) {
    return get(HttpClient.newHttpClient(), plain(path));
  }

  /** A GET on the API port without credentials. */
  public HttpResponse<String> getPlainApi(String path) {
    return send(HttpRequest.newBuilder(api(path)).GET().build());
  }

  /** A GET on the API port with the admin key. */
  public HttpResponse<String> getAdmin(String path) {
    return send(HttpRequest.newBuilder(api(path)).GET()
        .header("Authorization", "Bearer " + adminKey).build());
  }

  /**
   * A POST of JSON to the API.
   *
   * @param path the path
   * @param body the body
   * @param headers name, value, name, value...
   */
  public HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(api(path))
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (!typed) {
      request.header("Content-Type", "application/json");
    }
    return send(request.build());
  }

  /** A POST with the admin key. */
  public HttpResponse<String> postAdmin(String path, String body) {
    return post(path, body, "Authorization", "Bearer " + adminKey);
  }

  /**
   * Creates a join token through the admin API.
   *
   * @param tenant the tenant
   * @param profile the profile
   * @param uses how many enrollments it allows
   * @return the token's secret
   */
  public String token(String tenant, String profile, int uses) {
    ObjectNode body = JSON.createObjectNode().put("tenant", tenant).put("profile", profile)
        .put("uses", uses).put("ttl", "1h");
    HttpResponse<String> response = postAdmin("/v1/tokens", body.toString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("token create: " + response.body());
    }
    return json(response).get("token").asText();
  }

  /** A one-use token for a profile of the default tenant. */
  public String token(String profile) {
    return token("default", profile, 1);
  }

  /**
   * The body of an enrollment request.
   *
   * @param profile the profile
   * @param externalId the subject's external id
   * @param token the join token
   * @param csr the CSR text
   */
  public static String enrollment(String profile, String externalId, String token, String csr) {
    ObjectNode body = JSON.createObjectNode().put("profile", profile);
    body.putObject("subject").put("kind", "device").put("externalId", externalId);
    body.putObject("attestation").put("type", "token").put("token", token);
    body.put("csr", csr);
    return body.toString();
  }

  /** Posts an enrollment request. */
  public HttpResponse<String> enroll(String body, String... headers) {
    return post("/v1/enrollments", body, headers);
  }

  /** Parses a response body. */
  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The number of rows in each table that records enrollments, and of audit events. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : RECORD_TABLES) {
      counts.put(table, scalar("select count(*) from " + table));
    }
    counts.put("audit_event", scalar("select count(*) from audit_event"));
    counts.put("uses_left", scalar("select coalesce(sum(uses_left), 0) from join_token"));
    return counts;
  }

  /**
   * One number from the store.
   *
   * @param sql a query answering one row of one number
   */
  public long scalar(String sql) {
    JdbcStore store = (JdbcStore) server.store();
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      long value = rs.getLong(1);
      c.commit();
      return value;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One text value from the store.
   *
   * @param sql a query answering one row of one value
   * @return the value, or null when there is no row
   */
  public String scalarText(String sql) {
    JdbcStore store = (JdbcStore) server.store();
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      String value = rs.next() ? rs.getString(1) : null;
      c.commit();
      return value;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The newest audit event's action, outcome and reason, as {@code action/outcome/reason}.
   */
  public String lastAuditEvent() {
    JdbcStore store = (JdbcStore) server.store();
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select action, outcome, reason, details from audit_event"
            + " order by id desc limit 1")) {
      rs.next();
      String text = rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3);
      c.commit();
      return text;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** All audit events' details joined, for checks that secrets never reach them. */
  public String auditText() {
    JdbcStore store = (JdbcStore) server.store();
    StringBuilder text = new StringBuilder();
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select * from audit_event order by id")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          text.append(rs.getString(i)).append(' ');
        }
        text.append('\n');
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  /** Sends a request with the client that trusts the server's root. */
  public HttpResponse<String> send(HttpRequest request) {
    return get(client, request);
  }

  private static HttpResponse<String> get(HttpClient client, URI uri) {
    return get(client, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build());
  }

  private static HttpResponse<String> get(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * An SSL context that trusts only the given PEM certificates.
   *
   * @param pem one or more certificates
   */
  public static SSLContext trusting(String pem) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
          new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        trust.setCertificateEntry("root" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
