package dev.enroll.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.enroll.store.jdbc.JdbcStore;
import dev.enroll.testing.EnrollmentLoad;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code enroll serve} as an operator runs it: the packaged jar in its own process, the CLI
 * creating a token, {@code curl} enrolling, and SIGTERM stopping it cleanly.
 */
class ServeProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;
  Process serve;

  @AfterEach
  void kill() {
    if (serve != null && serve.isAlive()) {
      serve.destroyForcibly();
    }
  }

  @Test
  void firstStartCreatesTheDataDirectoryAndCurlEnrollsWithACliToken() throws Exception {
    Path data = directory.resolve("data");
    int https = freePort();
    int http = freePort();
    Path out = directory.resolve("stdout.txt");
    Path err = directory.resolve("stderr.txt");
    serve = start(data, https, http, out, err);
    awaitHealthy(http);

    // The data directory: CA, keys encrypted, passphrase and admin key owner-only.
    String adminKey = Files.readString(data.resolve("admin.key")).trim();
    assertThat(Files.readString(out)).contains(adminKey);
    assertThat(Files.getPosixFilePermissions(data.resolve("admin.key"))).isEqualTo(ownerOnly());
    assertThat(Files.getPosixFilePermissions(data.resolve("ca/passphrase")))
        .isEqualTo(ownerOnly());
    assertThat(Files.readString(data.resolve("ca/root.key.pem")))
        .contains("ENCRYPTED PRIVATE KEY");
    assertThat(Files.readString(data.resolve("ca/issuing.key.pem")))
        .contains("ENCRYPTED PRIVATE KEY");
    assertThat(Files.readString(err)).contains("key passphrase generated");
    Files.writeString(directory.resolve("roots.pem"), get(http, "/ca/roots.pem"));
    String fingerprint = Openssl.run(directory, "x509", "-in", "roots.pem", "-noout",
        "-fingerprint", "-sha256").output().replaceAll(".*=", "").trim();
    assertThat(Files.readString(err)).contains(fingerprint);
    assertThat(Files.readString(err)).doesNotContain(adminKey);

    // The CLI makes a token through the admin API, trusting only the server's root.
    Openssl.Outcome token = cli("token", "create", "--profile", "devices", "--uses", "2",
        "--ttl", "10m", "--server", "https://localhost:" + https, "--data", data.toString());
    assertThat(token.exitCode()).as(token.output()).isZero();
    String secret = token.output().lines().filter(l -> l.startsWith("ejt_")).findFirst()
        .orElseThrow();

    // curl enrolls with an openssl CSR.
    String csr = Openssl.p256(directory, "device", "/CN=sensor-0042",
        "DNS:sensor-0042.devices.example.internal");
    Files.writeString(directory.resolve("body.json"),
        TestServer.enrollment("devices", "sensor-0042", secret, csr));
    Openssl.Outcome curl = Openssl.exec(directory, List.of("curl", "-sS", "--fail-with-body",
        "--cacert", "roots.pem", "-H", "Content-Type: application/json",
        "--data-binary", "@body.json", "https://localhost:" + https + "/v1/enrollments"));
    assertThat(curl.exitCode()).as(curl.output()).isZero();
    JsonNode enrolled = JSON.readTree(curl.output());
    assertThat(enrolled.at("/credentials/0/serial").asText()).matches("[0-9A-F]{32}");
    assertThat(Files.readString(err)).doesNotContain(secret);

    // A second process on the same data directory is told so, and stops.
    Openssl.Outcome second = cli("serve", "--bind", "127.0.0.1", "--data", data.toString(),
        "--https-port", String.valueOf(freePort()), "--http-port", String.valueOf(freePort()));
    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.output()).contains("in use by another Enroll process");

    // A wrong admin key gets 401 from the CLI's call as from any other.
    Openssl.Outcome denied = cli("token", "create", "--profile", "devices",
        "--server", "https://localhost:" + https, "--data", data.toString(),
        "--admin-key-file", directory.resolve("roots.pem").toString());
    assertThat(denied.exitCode()).isNotZero();

    // After a clean stop the chain verifies, and no secret is in the log or the audit log.
    serve.destroy();
    assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Openssl.Outcome verify = cli("audit", "verify", "--data", data.toString());
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).contains("audit chain intact");
    Openssl.Outcome export = cli("audit", "export", "--data", data.toString());
    assertThat(export.exitCode()).isZero();
    assertThat(export.output()).contains("enrollment.issued").contains("token.created");
    String passphrase = Files.readString(data.resolve("ca/passphrase")).trim();
    String everything = export.output() + Files.readString(err) + Files.readString(out)
        .replace(adminKey, "");
    for (String hidden : List.of(adminKey, secret, passphrase, secret.substring(4, 24),
        adminKey.substring(4, 24))) {
      assertThat(everything).as("a secret in the logs or audit log").doesNotContain(hidden);
    }
    assertThat(everything).doesNotContain("PRIVATE KEY");
  }

  @Test
  void approvalsCliLetsASecondAdminApproveAServerCurlEnrolled() throws Exception {
    Path data = directory.resolve("data");
    int https = freePort();
    int http = freePort();
    serve = start(data, https, http, directory.resolve("out.txt"),
        directory.resolve("err.txt"));
    awaitHealthy(http);
    Files.writeString(directory.resolve("roots.pem"), get(http, "/ca/roots.pem"));
    String server = "https://localhost:" + https;
    Openssl.Outcome token = cli("token", "create", "--profile", "servers",
        "--server", server, "--data", data.toString());
    String secret = token.output().lines().filter(l -> l.startsWith("ejt_")).findFirst()
        .orElseThrow();

    // curl enrolls; the answer is 202 with the enrollment's Location.
    String csr = Openssl.p256(directory, "server", "/CN=web-1.example.internal",
        "DNS:web-1.example.internal");
    ObjectNode body = (ObjectNode) JSON.readTree(TestServer.enrollment("servers",
        "web-1.example.internal", secret, csr));
    ((ObjectNode) body.get("subject")).put("kind", "service");
    Files.writeString(directory.resolve("body.json"), body.toString());
    Openssl.Outcome curl = Openssl.exec(directory, List.of("curl", "-sS", "-i",
        "--cacert", "roots.pem", "-H", "Content-Type: application/json",
        "--data-binary", "@body.json", server + "/v1/enrollments"));
    assertThat(curl.output()).contains("HTTP/1.1 202").containsIgnoringCase("Location: ");
    String id = curl.output().lines().filter(l -> l.toLowerCase().startsWith("location:"))
        .findFirst().orElseThrow().replaceAll(".*/", "").trim();

    // The CLI lists it; the token's creator cannot approve it; a second admin can.
    Openssl.Outcome listed = cli("approvals", "list", "--server", server,
        "--data", data.toString());
    assertThat(listed.output()).contains(id).contains("web-1.example.internal");
    Openssl.Outcome self = cli("approvals", "approve", id, "--server", server,
        "--data", data.toString());
    assertThat(self.exitCode()).isEqualTo(1);
    assertThat(self.output()).contains("another admin must decide it");
    Openssl.Outcome created = cli("admin-key", "create", "--name", "on-call approver",
        "--role", "approver", "--server", server, "--data", data.toString());
    assertThat(created.exitCode()).as(created.output()).isZero();
    Path approverKey = directory.resolve("approver.key");
    Files.writeString(approverKey, created.output().lines()
        .filter(l -> l.startsWith("eak_")).findFirst().orElseThrow());
    Openssl.Outcome approved = cli("approvals", "approve", id, "--reason", "ticket 42",
        "--server", server, "--data", data.toString(),
        "--admin-key-file", approverKey.toString());
    assertThat(approved.exitCode()).as(approved.output()).isZero();
    assertThat(approved.output()).contains(id + " approved");

    // The client collects its certificate at the Location.
    await().atMost(Duration.ofSeconds(20)).until(() -> Openssl.exec(directory, List.of(
        "curl", "-sS", "--fail", "-o", "collected.json", "-w", "%{http_code}", "--cacert",
        "roots.pem", server + "/v1/enrollments/" + id)).output().equals("200"));
    JsonNode collected = JSON.readTree(Files.readString(directory.resolve("collected.json")));
    assertThat(collected.at("/credentials/0/certificate").asText())
        .startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void sigkillUnderLoadLosesNoAnsweredEnrollmentAndTheChainStillVerifies() throws Exception {
    Path data = directory.resolve("data");
    int https = freePort();
    int http = freePort();
    serve = start(data, https, http, directory.resolve("out1.txt"),
        directory.resolve("err1.txt"));
    awaitHealthy(http);
    String roots = get(http, "/ca/roots.pem");
    String adminKey = Files.readString(data.resolve("admin.key")).trim();
    HttpClient client = HttpClient.newBuilder().sslContext(TestServer.trusting(roots)).build();
    String token = JSON.readTree(send(client, HttpRequest.newBuilder(
        URI.create("https://localhost:" + https + "/v1/tokens"))
        .header("Authorization", "Bearer " + adminKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"profile\":\"devices\",\"uses\":1000,\"ttl\":\"1h\"}")).build()).body())
        .get("token").asText();

    // Four clients enroll in a loop; the JVM is killed while they are busy.
    EnrollmentLoad load = EnrollmentLoad.start(4, 500, "crash", token, body ->
        client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https
            + "/v1/enrollments")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString()));
    load.awaitAnswered(20);
    serve.destroyForcibly();
    assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    load.stop();

    // A restart chains what was committed but not chained; a clean stop seals it.
    serve = start(data, https, http, directory.resolve("out2.txt"),
        directory.resolve("err2.txt"));
    awaitHealthy(http);
    serve.destroy();
    assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Openssl.Outcome verify = cli("audit", "verify", "--data", data.toString());
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    try (JdbcStore store = JdbcStore.embedded(data, 2);
        Connection c = store.dataSource().getConnection()) {
      load.assertStoredWithTheirEvents(c);
    }
  }

  @Test
  void sigtermDrainsInFlightEnrollmentsAndLosesNoneItAnswered() throws Exception {
    Path data = directory.resolve("data");
    int https = freePort();
    int http = freePort();
    serve = start(data, https, http, directory.resolve("out.txt"),
        directory.resolve("err.txt"));
    awaitHealthy(http);
    String roots = get(http, "/ca/roots.pem");
    String adminKey = Files.readString(data.resolve("admin.key")).trim();
    HttpClient client = HttpClient.newBuilder().sslContext(TestServer.trusting(roots)).build();
    String token = JSON.readTree(send(client, HttpRequest.newBuilder(
        URI.create("https://localhost:" + https + "/v1/tokens"))
        .header("Authorization", "Bearer " + adminKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"profile\":\"devices\",\"uses\":1000,\"ttl\":\"1h\"}")).build()).body())
        .get("token").asText();

    // Four clients enroll in a loop; SIGTERM arrives while they are busy.
    AtomicInteger issued = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int client0 = c;
      clients.add(pool.submit(() -> {
        for (int i = 0; i < 500 && !stop.get(); i++) {
          String id = "drain-" + client0 + "-" + i;
          String csr = Openssl.p256(Files.createDirectories(directory.resolve(id)), "k",
              "/CN=" + id, null);
          try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + https + "/v1/enrollments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    TestServer.enrollment("devices", id, token, csr))).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 201) {
              issued.incrementAndGet();
            }
          } catch (IOException refused) {
            return null;
          }
        }
        return null;
      }));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> issued.get() >= 8);
    serve.destroy();

    assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    stop.set(true);
    for (Future<?> f : clients) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(serve.exitValue()).isZero();
    assertThat(Files.readString(directory.resolve("err.txt"))).contains("enroll stopped");
    try (JdbcStore store = JdbcStore.embedded(data, 2);
        Connection c = store.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("select count(*) from credential")) {
      rs.next();
      assertThat(rs.getLong(1)).as("every answered enrollment is stored")
          .isGreaterThanOrEqualTo(issued.get());
    }
  }

  @Test
  void configurationErrorNamesFileAndKeyAndStopsTheStart() throws Exception {
    Path config = directory.resolve("bad.yaml");
    Files.writeString(config, "tenants:\n  default:\n    profiles:\n      devices:\n"
        + "        certificate:\n          validity: forever\n");
    Openssl.Outcome start = cli("serve", "--config", config.toString(), "--data",
        directory.resolve("data").toString(), "--https-port", String.valueOf(freePort()),
        "--http-port", String.valueOf(freePort()));
    assertThat(start.exitCode()).isEqualTo(2);
    assertThat(start.output()).contains("bad.yaml")
        .contains("tenants.default.profiles.devices.certificate.validity");
    assertThat(directory.resolve("data")).doesNotExist();
  }

  @Test
  void portInUseStopsTheStartNamingThePortAndCreatesNothing() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      Openssl.Outcome start = cli("serve", "--bind", "127.0.0.1", "--data",
          directory.resolve("data").toString(), "--https-port",
          String.valueOf(taken.getLocalPort()), "--http-port", String.valueOf(freePort()));
      assertThat(start.exitCode()).isEqualTo(1);
      assertThat(start.output()).contains("127.0.0.1:" + taken.getLocalPort())
          .contains("--https-port").doesNotContain("\tat ");
      assertThat(directory.resolve("data")).doesNotExist();
    }
  }

  private Process start(Path data, int https, int http, Path out, Path err)
      throws IOException {
    return new ProcessBuilder(command("serve", "--data", data.toString(), "--bind",
        "127.0.0.1", "--https-port", String.valueOf(https), "--http-port",
        String.valueOf(http)))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }

  private Openssl.Outcome cli(String... args) {
    return Openssl.exec(directory, command(args));
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "enroll.jar").toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return command;
  }

  private static void awaitHealthy(int http) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> get(http, "/readyz") != null);
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> r = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).build());
    if (r.statusCode() != 200) {
      throw new IOException("status " + r.statusCode());
    }
    return r.body();
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest request)
      throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static Set<PosixFilePermission> ownerOnly() {
    return Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
