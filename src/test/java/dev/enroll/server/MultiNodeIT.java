package dev.enroll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.testing.Csrs;
import dev.enroll.testing.EnrollmentLoad;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.Postgres;
import dev.enroll.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code enroll serve} processes on one real PostgreSQL with the same CA: what one node
 * does, the other sees; races between them are settled by the database; a node killed
 * with SIGKILL loses nothing and the other carries on.
 */
class MultiNodeIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;
  private String url;
  private final List<Process> processes = new ArrayList<>();
  private Node a;
  private Node b;

  /** One running node. */
  record Node(Process process, int https, int http, HttpClient client) {
    URI api(String path) {
      return URI.create("https://localhost:" + https + path);
    }

    URI plain(String path) {
      return URI.create("http://127.0.0.1:" + http + path);
    }
  }

  @BeforeEach
  void startTwoNodes() throws Exception {
    url = Postgres.freshDatabase("nodes");
    Path config = directory.resolve("enroll.yaml");
    try (InputStream in = TestServer.class.getResourceAsStream("/test-enroll.yaml")) {
      Files.write(config, in.readAllBytes());
    }
    Files.writeString(config, "\nstore:\n  url: \"" + url + "\"\n",
        java.nio.file.StandardOpenOption.APPEND);

    a = start("a");
    // The second node gets the same CA; its TLS certificate is its own.
    Path caA = directory.resolve("a/ca");
    Path caB = Files.createDirectories(directory.resolve("b/ca"));
    try (var files = Files.list(caA)) {
      for (Path file : files.toList()) {
        Files.copy(file, caB.resolve(file.getFileName()));
      }
    }
    b = start("b");
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private Node start(String name) throws Exception {
    int https = freePort();
    int http = freePort();
    Path data = directory.resolve(name);
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of("target", "enroll.jar").toAbsolutePath().toString(), "serve",
        "--config", nodeConfig(name).toString(), "--data", data.toString(),
        "--bind", "127.0.0.1", "--https-port", String.valueOf(https),
        "--http-port", String.valueOf(http));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(directory.resolve(name + ".out").toFile())
        .redirectError(directory.resolve(name + ".err").toFile());
    builder.environment().putAll(Map.of("ENROLL_KEY_PASSPHRASE", "test passphrase",
        "ENROLL_DB_USER", Postgres.user(), "ENROLL_DB_PASSWORD", Postgres.password(),
        "ENROLL_SIGNER_FAULT_FILE", directory.resolve("signer-down").toString()));
    Process process = builder.start();
    processes.add(process);
    HttpClient plain = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> plain.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + http + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    String roots = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
        + "/ca/roots.pem")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Files.writeString(directory.resolve("roots.pem"), roots);
    Files.writeString(directory.resolve("issuing.pem"), plain.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + http + "/ca/chain.pem")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    return new Node(process, https, http, HttpClient.newBuilder()
        .sslContext(TestServer.trusting(roots)).connectTimeout(Duration.ofSeconds(5)).build());
  }

  /** Each node has its own copy of the configuration file. */
  private Path nodeConfig(String name) throws IOException {
    Path own = directory.resolve(name + ".yaml");
    if (!Files.exists(own)) {
      Files.copy(directory.resolve("enroll.yaml"), own);
    }
    return own;
  }

  private String adminKey() throws IOException {
    return Files.readString(directory.resolve("a/admin.key")).trim();
  }

  private HttpResponse<String> post(Node node, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(node.api(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return node.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> admin(Node node, String path, String body) throws Exception {
    return post(node, path, body, "Authorization", "Bearer " + adminKey());
  }

  private String token(Node node, int uses) throws Exception {
    return JSON.readTree(admin(node, "/v1/tokens", "{\"profile\":\"devices\",\"uses\":" + uses
        + ",\"ttl\":\"1h\"}").body()).get("token").asText();
  }

  private long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, Postgres.user(), Postgres.password());
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void revocationOnOneNodeReachesTheOthersOcspCrlAndStream() throws Exception {
    String csr = Openssl.p256(directory, "both-1", "/CN=both-1", null);
    JsonNode enrolled = JSON.readTree(post(a, "/v1/enrollments", TestServer.enrollment(
        "devices", "both-1", token(a, 1), csr)).body());
    String serial = enrolled.at("/credentials/0/serial").asText();
    Files.writeString(directory.resolve("both-1.pem"),
        enrolled.at("/credentials/0/certificate").asText());
    HttpResponse<InputStream> stream = a.client().send(HttpRequest.newBuilder(
        a.api("/v1/revocations/stream")).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> firstLineWith(
        stream.body(), serial));

    long asked = System.nanoTime();
    HttpResponse<String> revoked = admin(b, "/v1/credentials/" + serial + "/revoke",
        "{\"reason\":\"keyCompromise\"}");
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

    Openssl.Outcome ocsp = Openssl.run(directory, "ocsp", "-issuer", "issuing.pem", "-cert",
        "both-1.pem", "-url", a.plain("/ocsp").toString(), "-CAfile", "roots.pem");
    assertThat(ocsp.output()).contains("Response verify OK").contains("both-1.pem: revoked");
    assertThat(seen.get(10, TimeUnit.SECONDS)).contains("\"status\":\"revoked\"");
    long streamMillis = (System.nanoTime() - asked) / 1_000_000;
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(crlText(a)).contains("Serial Number: " + serial));
    assertThat(crlNumber(crlText(a))).isEqualTo(crlNumber(crlText(b)));
    System.out.println("revoke on B to A's stream: " + streamMillis + " ms");
  }

  @Test
  void aProfileAddedOnOneNodeReachesTheOtherWithoutARestart() throws Exception {
    Path config = directory.resolve("a.yaml");
    String text = Files.readString(config);
    Files.writeString(config, text.replace("  other:\n", "      sensors:\n"
        + "        subjectKinds: [device]\n        attestation: [token]\n  other:\n"));
    assertThat(admin(b, "/v1/tokens", "{\"profile\":\"sensors\"}").statusCode())
        .isEqualTo(404);

    // SIGHUP makes node A look at its file now; node B hears of it through the store.
    new ProcessBuilder("kill", "-HUP", Long.toString(a.process().pid())).start()
        .waitFor(10, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        admin(b, "/v1/tokens", "{\"profile\":\"sensors\"}").statusCode()).isEqualTo(201));
    assertThat(Files.readString(directory.resolve("b.yaml"))).doesNotContain("sensors");
    assertThat(count("select count(*) from audit_event where action = 'config.reloaded'"))
        .isEqualTo(2);
  }

  @Test
  void aTokenWithFiftyUsesEnrollsExactlyFiftyOfAHundredSpreadOverTwoNodes()
      throws Exception {
    String token = token(a, 50);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      bodies.add(TestServer.enrollment("devices", "spread-" + i, token, Csrs.p256("spread-"
          + i)));
    }
    List<Integer> statuses = concurrently(100, i -> post(i % 2 == 0 ? a : b,
        "/v1/enrollments", bodies.get(i)).statusCode());

    Map<Integer, Long> byStatus = statuses.stream()
        .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    assertThat(byStatus).containsOnly(Map.entry(201, 50L), Map.entry(403, 50L));
    assertThat(count("select count(*) from credential")).isEqualTo(50);
  }

  @Test
  void theSameIdempotencyKeyAtBothNodesAtOnceIssuesOnce() throws Exception {
    String body = TestServer.enrollment("devices", "twin-node", token(a, 20),
        Csrs.p256("twin-node"));
    List<HttpResponse<String>> answers = concurrently(10, i -> post(i % 2 == 0 ? a : b,
        "/v1/enrollments", body, "Idempotency-Key", "twin-across-nodes"));

    List<HttpResponse<String>> issued = answers.stream().filter(r -> r.statusCode() == 201)
        .toList();
    assertThat(issued).isNotEmpty();
    assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body())
        .isIn(201, 409));
    assertThat(issued.stream().map(HttpResponse::body).distinct()).hasSize(1);
    assertThat(count("select count(*) from credential")).isEqualTo(1);
    assertThat(count("select count(*) from subject where external_id = 'twin-node'"))
        .isEqualTo(1);
  }

  @Test
  void aNodeKilledUnderLoadLosesNoAnsweredEnrollmentAndTheOtherKeepsTheChain()
      throws Exception {
    String token = token(a, 1000);
    EnrollmentLoad load = EnrollmentLoad.start(4, 300, "kill", token,
        body -> post(a, "/v1/enrollments", body));
    load.awaitAnswered(20);
    a.process().destroyForcibly();
    assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    load.stop();

    // Node B still enrolls, and chains everything node A committed.
    HttpResponse<String> after = post(b, "/v1/enrollments", TestServer.enrollment("devices",
        "after-kill", token, Csrs.p256("after-kill")));
    assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        count("select count(*) from audit_event where seq is null") == 0);
    try (Connection c = DriverManager.getConnection(url, Postgres.user(),
        Postgres.password())) {
      load.assertStoredWithTheirEvents(c);
    }

    ProcessBuilder verify = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of("target", "enroll.jar").toAbsolutePath().toString(), "audit", "verify",
        "--db", url).redirectErrorStream(true);
    verify.environment().putAll(Map.of("ENROLL_DB_USER", Postgres.user(),
        "ENROLL_DB_PASSWORD", Postgres.password()));
    Process check = verify.start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(output).isZero();
    assertThat(output).contains("audit chain intact");
  }

  @Test
  void workQueuedOnAKilledNodeIsCompletedByTheOtherOnce() throws Exception {
    Path fault = Files.createFile(directory.resolve("signer-down"));
    String token = token(a, 10);
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> accepted = post(a, "/v1/enrollments", TestServer.enrollment(
          "devices", "queued-" + i, token, Csrs.p256("queued-" + i)));
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }
    assertThat(count("select count(*) from issuance_queue")).isEqualTo(10);
    a.process().destroyForcibly();
    assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    Files.delete(fault);

    await().atMost(Duration.ofSeconds(60)).until(() ->
        count("select count(*) from issuance_queue") == 0);
    assertThat(count("select count(*) from credential")).isEqualTo(10);
    assertThat(count("select count(*) from enrollment where state = 'completed'"))
        .isEqualTo(10);
    assertThat(count("select count(*) from audit_event where action = 'enrollment.issued'"))
        .isEqualTo(10);
  }

  private String crlText(Node node) throws Exception {
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        node.plain("/crl/" + issuerId())).build(), HttpResponse.BodyHandlers.ofByteArray());
    Path file = Files.createTempFile(directory, "crl", ".der");
    Files.write(file, response.body());
    return Openssl.run(directory, "crl", "-inform", "DER", "-in", file.toString(), "-noout",
        "-text").output();
  }

  private String issuerId() throws IOException {
    String text = Openssl.run(directory, "x509", "-in", "issuing.pem", "-noout", "-ext",
        "subjectKeyIdentifier").output();
    String hex = text.lines().skip(1).findFirst().orElseThrow().trim().replace(":", "");
    return hex.substring(0, 16).toLowerCase(java.util.Locale.ROOT) + ".crl";
  }

  private static long crlNumber(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("X509v3 CRL Number:\\s*\\n\\s*(\\d+)").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String firstLineWith(InputStream body, String text) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(body,
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("data:") && line.contains(text)) {
          return line;
        }
      }
      return null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Work that may throw, for {@link #concurrently}. */
  interface Call<T> {
    T call(int i) throws Exception;
  }

  private static <T> List<T> concurrently(int count, Call<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, 32));
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          start.await();
          return call.call(n);
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(120, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
