package dev.enroll.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.MutableClock;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revocation as relying parties see it, through the real openssl: OCSP and the CRL. */
class RevocationIT {
  @TempDir static Path directory;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(directory);
    Files.writeString(directory.resolve("roots.pem"), server.rootsPem());
    Files.writeString(directory.resolve("issuing.pem"), server.getPlain("/ca/chain.pem").body());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Enrolls a device and writes its certificate as NAME.pem. */
  static JsonNode enroll(String name) throws Exception {
    String csr = Openssl.p256(directory, name, "/CN=" + name, null);
    HttpResponse<String> response = server.enroll(TestServer.enrollment("devices", name,
        server.token("devices"), csr));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode body = TestServer.json(response);
    Files.writeString(directory.resolve(name + ".pem"),
        body.at("/credentials/0/certificate").asText());
    return body;
  }

  static String ocsp(String name) {
    return ocspOf(server, directory, name);
  }

  /** Asks the server's responder about NAME.pem with the real openssl; checks the answer. */
  static String ocspOf(TestServer server, Path directory, String name, String... options) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("ocsp",
        "-issuer", "issuing.pem", "-cert", name + ".pem", "-url",
        server.plain("/ocsp").toString(), "-CAfile", "roots.pem"));
    args.addAll(java.util.List.of(options));
    Openssl.Outcome outcome = Openssl.run(directory, args.toArray(String[]::new));
    assertThat(outcome.output()).contains("Response verify OK")
        .doesNotContain("WARNING");
    return outcome.output();
  }

  static String crlText() throws Exception {
    String file = server.server().authority().issuerId() + ".crl";
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        server.plain("/crl/" + file)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    Files.write(directory.resolve("crl.der"), response.body());
    Openssl.Outcome verify = Openssl.run(directory, "crl", "-inform", "DER", "-in", "crl.der",
        "-CAfile", "issuing.pem", "-noout", "-verify");
    assertThat(verify.output()).contains("verify OK");
    Openssl.run(directory, "crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem");
    return Openssl.run(directory, "crl", "-in", "crl.pem", "-noout", "-text").output();
  }

  static HttpResponse<String> revoke(String serial, String body) {
    return server.postAdmin("/v1/credentials/" + serial + "/revoke", body);
  }

  @Test
  void revokedCertificateTurnsRevokedInOcspWithinASecondAndInTheCrl() throws Exception {
    String serial = enroll("ocsp-1").at("/credentials/0/serial").asText();
    assertThat(ocsp("ocsp-1")).contains("ocsp-1.pem: good");
    long crlNumberBefore = crlNumber(crlText());
    Openssl.Outcome before = Openssl.run(directory, "verify", "-crl_check", "-CAfile",
        "roots.pem", "-untrusted", "issuing.pem", "-CRLfile", "crl.pem", "ocsp-1.pem");
    assertThat(before.output()).contains("ocsp-1.pem: OK");

    long asked = System.nanoTime();
    HttpResponse<String> revoked = revoke(serial, "{\"reason\":\"keyCompromise\"}");
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    String answer = ocsp("ocsp-1");
    long tookMillis = (System.nanoTime() - asked) / 1_000_000;

    assertThat(answer).contains("ocsp-1.pem: revoked").contains("Reason: keyCompromise");
    assertThat(tookMillis).as("revoke call to openssl seeing it, ms").isLessThan(5_000);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(crlText()).contains("Serial Number: " + serial).contains("Key Compromise"));
    assertThat(crlNumber(crlText())).isGreaterThan(crlNumberBefore);
    Openssl.Outcome check = Openssl.run(directory, "verify", "-crl_check", "-CAfile",
        "roots.pem", "-untrusted", "issuing.pem", "-CRLfile", "crl.pem", "ocsp-1.pem");
    assertThat(check.output()).contains("certificate revoked");
    assertThat(check.exitCode()).isNotZero();

    HttpResponse<String> again = revoke(serial, "{}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(TestServer.json(again).get("type").asText())
        .isEqualTo("urn:enroll:problem:credential-already-revoked");
    assertThat(server.getPlain("/metrics").body())
        .containsPattern("enroll_revocation_propagation_seconds_count [1-9]");
  }

  @Test
  void serialsAreFoundWhateverTheirCaseAndForceMustBeABoolean() throws Exception {
    String serial = enroll("case-1").at("/credentials/0/serial").asText();

    HttpResponse<String> wrongType = revoke(serial, "{\"force\":1}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(wrongType).get("type").asText())
        .isEqualTo("urn:enroll:problem:request-malformed");
    HttpResponse<String> lower = revoke(serial.toLowerCase(java.util.Locale.ROOT),
        "{\"force\":false}");
    assertThat(lower.statusCode()).as(lower.body()).isEqualTo(200);
    assertThat(TestServer.json(lower).get("serial").asText()).isEqualTo(serial);

    HttpResponse<String> odd = revoke("\u202e" + "A".repeat(500), "{}");
    assertThat(odd.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(odd).get("detail").asText()).hasSizeLessThan(200)
        .doesNotContain("\u202e");
  }

  @Test
  void serialNeverIssuedIsUnknownAndOcspGetWorks() throws Exception {
    Openssl.Outcome unknown = Openssl.run(directory, "ocsp", "-issuer", "issuing.pem",
        "-serial", "0x0123456789ABCDEF", "-url", server.plain("/ocsp").toString(),
        "-CAfile", "roots.pem");
    assertThat(unknown.output()).contains("0x0123456789ABCDEF: unknown");

    enroll("ocsp-get");
    Openssl.run(directory, "ocsp", "-issuer", "issuing.pem", "-cert", "ocsp-get.pem",
        "-no_nonce", "-reqout", "req.der");
    String base64 = Base64.getEncoder().encodeToString(
        Files.readAllBytes(directory.resolve("req.der")));
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        server.plain("/ocsp/" + java.net.URLEncoder.encode(base64, StandardCharsets.US_ASCII)))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.headers().firstValue("Content-Type")).hasValue(
        "application/ocsp-response");
    Files.write(directory.resolve("resp.der"), response.body());
    Openssl.Outcome read = Openssl.run(directory, "ocsp", "-respin", "resp.der", "-issuer",
        "issuing.pem", "-cert", "ocsp-get.pem", "-CAfile", "roots.pem");
    assertThat(read.output()).contains("ocsp-get.pem: good").contains("Response verify OK");

    Files.write(directory.resolve("junk.der"), new byte[] {1, 2, 3});
    HttpResponse<byte[]> junk = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        server.plain("/ocsp")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2}))
        .header("Content-Type", "application/ocsp-request").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    Files.write(directory.resolve("junk-resp.der"), junk.body());
    assertThat(Openssl.run(directory, "ocsp", "-respin", "junk-resp.der", "-resp_text",
        "-noverify").output()).contains("malformedrequest");
  }

  @Test
  void quarantineHoldsEveryCredentialAndReinstateLiftsIt() throws Exception {
    JsonNode enrolled = enroll("held-1");
    String subject = enrolled.at("/subject/id").asText();
    String serial = enrolled.at("/credentials/0/serial").asText();

    HttpResponse<String> quarantined =
        server.postAdmin("/v1/subjects/" + subject + "/quarantine", "");
    assertThat(quarantined.statusCode()).as(quarantined.body()).isEqualTo(200);
    assertThat(TestServer.json(quarantined).get("state").asText()).isEqualTo("quarantined");
    assertThat(ocsp("held-1")).contains("held-1.pem: revoked")
        .contains("Reason: certificateHold");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(crlText())
        .contains("Serial Number: " + serial).contains("Certificate Hold"));

    HttpResponse<String> reinstated =
        server.postAdmin("/v1/subjects/" + subject + "/reinstate", "");
    assertThat(TestServer.json(reinstated).get("state").asText()).isEqualTo("active");
    assertThat(ocsp("held-1")).contains("held-1.pem: good");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(crlText()).doesNotContain("Serial Number: " + serial));

    HttpResponse<String> twice =
        server.postAdmin("/v1/subjects/" + subject + "/reinstate", "");
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(TestServer.json(twice).get("type").asText())
        .isEqualTo("urn:enroll:problem:subject-transition-not-allowed");
    assertThat(server.scalar("select count(*) from audit_event where action in"
        + " ('subject.quarantine', 'subject.reinstate') and target = 'subject:" + subject
        + "'")).isEqualTo(2);
  }

  @Test
  void keyCompromiseRevokesEveryLaterCredentialOfTheSameKey() throws Exception {
    JsonNode first = enroll("twice-1");
    String subject = first.at("/subject/id").asText();
    String bound = TestServer.json(server.postAdmin("/v1/tokens",
        "{\"profile\":\"devices\",\"externalId\":\"twice-1\"}")).get("token").asText();
    String sameKey = Files.readString(directory.resolve("twice-1.csr"));
    JsonNode second = TestServer.json(server.enroll(TestServer.enrollment("devices",
        "twice-1", bound, sameKey)));
    String other = enroll("twice-other").at("/credentials/0/serial").asText();

    revoke(first.at("/credentials/0/serial").asText(), "{\"reason\":\"keyCompromise\"}");

    JsonNode view = TestServer.json(server.getAdmin("/v1/subjects/" + subject));
    assertThat(view.get("credentials").findValuesAsText("status"))
        .containsOnly("revoked").hasSize(2);
    assertThat(second.at("/credentials/0/serial").asText()).isNotBlank();
    assertThat(server.scalar("select count(*) from credential where serial = '" + other
        + "' and status = 'active'")).isEqualTo(1);
  }

  @Test
  void revokedSubjectLosesEveryCredentialAndCannotEnrollAgain() throws Exception {
    JsonNode enrolled = enroll("gone-1");
    String subject = enrolled.at("/subject/id").asText();

    HttpResponse<String> revoked = server.postAdmin("/v1/subjects/" + subject + "/revoke",
        "{\"reason\":\"affiliationChanged\"}");

    assertThat(TestServer.json(revoked).get("state").asText()).isEqualTo("revoked");
    assertThat(ocsp("gone-1")).contains("gone-1.pem: revoked")
        .contains("Reason: affiliationChanged");
    String bound = TestServer.json(server.postAdmin("/v1/tokens",
        "{\"profile\":\"devices\",\"externalId\":\"gone-1\"}")).get("token").asText();
    HttpResponse<String> again = server.enroll(TestServer.enrollment("devices", "gone-1",
        bound, Openssl.p256(directory, "gone-2", "/CN=gone-1", null)));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(TestServer.json(again).get("type").asText())
        .isEqualTo("urn:enroll:problem:subject-not-active");

    HttpResponse<String> offboarded =
        server.postAdmin("/v1/subjects/" + subject + "/offboard", "");
    assertThat(TestServer.json(offboarded).get("state").asText()).isEqualTo("offboarded");
    assertThat(server.postAdmin("/v1/subjects/" + subject + "/reinstate", "").statusCode())
        .isEqualTo(409);
  }

  @Test
  void feedAndStreamCarryRevocationsToRelyingParties() throws Exception {
    String serial = enroll("streamed-1").at("/credentials/0/serial").asText();
    long cursor = TestServer.json(server.getPlainApi("/v1/revocations")).get("next").asLong();
    HttpClient client = HttpClient.newBuilder()
        .sslContext(TestServer.trusting(server.rootsPem())).build();
    HttpResponse<java.io.InputStream> stream = client.send(HttpRequest.newBuilder(
        server.api("/v1/revocations/stream?after=" + cursor))
        .header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(),
          StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("data:") && line.contains(serial)) {
            return line;
          }
        }
        return null;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });

    revoke(serial, "{\"reason\":\"superseded\"}");

    assertThat(seen.get(10, TimeUnit.SECONDS)).contains("\"status\":\"revoked\"")
        .contains("\"reason\":\"superseded\"");
    JsonNode feed = TestServer.json(server.getPlainApi("/v1/revocations?after=" + cursor));
    assertThat(feed.get("items").findValuesAsText("serial")).contains(serial);
    for (String bad : new String[] {"abc", "-1"}) {
      HttpResponse<String> badCursor = server.send(HttpRequest.newBuilder(
          server.api("/v1/revocations/stream?after=" + bad))
          .header("Accept", "text/event-stream").build());
      assertThat(badCursor.statusCode()).isEqualTo(400);
      assertThat(TestServer.json(badCursor).get("type").asText())
          .isEqualTo("urn:enroll:problem:request-malformed");
    }
    HttpResponse<String> notStream = server.getPlainApi("/v1/revocations/stream");
    assertThat(notStream.statusCode()).isEqualTo(406);
    assertThat(TestServer.json(notStream).get("type").asText())
        .isEqualTo("urn:enroll:problem:not-acceptable");
  }

  @Test
  void aStreamHearsHeartbeatsAndAClientGoneWithoutAWordIsDropped(@TempDir Path own)
      throws Exception {
    try (TestServer quiet = TestServer.start(own)) {
      HttpClient client = HttpClient.newBuilder()
          .sslContext(TestServer.trusting(quiet.rootsPem())).build();
      HttpResponse<java.io.InputStream> stream = client.send(HttpRequest.newBuilder(
          quiet.api("/v1/revocations/stream")).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofInputStream());
      BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(),
          StandardCharsets.UTF_8));
      // The 200 goes out before the subscription is made.
      await().atMost(Duration.ofSeconds(10)).until(() -> streamsOpen(quiet) == 1);

      // No revocation happens: what arrives is the heartbeat comment.
      String first = CompletableFuture.supplyAsync(() -> {
        try {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.isEmpty()) {
              return line;
            }
          }
          return null;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(40, TimeUnit.SECONDS);
      assertThat(first).startsWith(":").contains("heartbeat");

      // The first heartbeat after the close still reaches the socket; a later one fails.
      lines.close();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
          .until(() -> streamsOpen(quiet) == 0);
    }
  }

  private static long streamsOpen(TestServer server) {
    return server.getPlain("/metrics").body().lines()
        .filter(line -> line.startsWith("enroll_revocation_streams "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
        .peek(value -> assertThat(value).as("a gauge that reads").isNotNaN())
        .mapToLong(value -> (long) value).findFirst().orElseThrow();
  }

  @Test
  void expiredCredentialIsRevokedOnlyWhenForced(@TempDir Path own) throws Exception {
    MutableClock clock = new MutableClock();
    try (TestServer timed = TestServer.start(own, clock)) {
      String csr = Openssl.p256(own, "old", "/CN=old-1", null);
      String serial = TestServer.json(timed.enroll(TestServer.enrollment("devices", "old-1",
          timed.token("devices"), csr))).at("/credentials/0/serial").asText();
      clock.advance(Duration.ofHours(25));

      HttpResponse<String> refused = timed.postAdmin("/v1/credentials/" + serial + "/revoke",
          "{}");
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(TestServer.json(refused).get("type").asText())
          .isEqualTo("urn:enroll:problem:credential-expired");
      HttpResponse<String> forced = timed.postAdmin("/v1/credentials/" + serial + "/revoke",
          "{\"force\":true}");
      assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
      assertThat(timed.scalar("select count(*) from revocation_event where serial = '"
          + serial + "'")).isEqualTo(1);
    }
  }

  @Test
  void revokeVerbRevokesBySerialThroughTheAdminApi() throws Exception {
    String serial = enroll("cli-1").at("/credentials/0/serial").asText();
    Files.writeString(directory.resolve("admin.key"), server.adminKey());
    String[] connection = {"--server", server.api("/").toString(), "--ca-file",
        directory.resolve("roots.pem").toString(), "--admin-key-file",
        directory.resolve("admin.key").toString()};

    int code = cli("revoke", "--serial", serial, "--reason", "cessationOfOperation",
        connection[0], connection[1], connection[2], connection[3], connection[4],
        connection[5]);

    assertThat(code).isZero();
    assertThat(ocsp("cli-1")).contains("cli-1.pem: revoked")
        .contains("Reason: cessationOfOperation");
    assertThat(cli("revoke", "--serial", serial, connection[0], connection[1], connection[2],
        connection[3], connection[4], connection[5])).isEqualTo(1);
    assertThat(cli("revoke", "--serial", serial, "--reason", "notAReason", connection[0],
        connection[1], connection[2], connection[3], connection[4], connection[5]))
        .isEqualTo(1);
  }

  @Test
  void crlIsRepublishedOnScheduleEvenWhenNothingChanged(@TempDir Path own) throws Exception {
    try (TestServer quick = TestServer.start(own, java.time.Clock.systemUTC(),
        "revocation:\n  crlValidity: 2s\n")) {
      String file = quick.server().authority().issuerId() + ".crl";
      long first = crlNumberOf(quick, own, file);
      await().atMost(Duration.ofSeconds(10)).until(() -> crlNumberOf(quick, own, file) > first);
      String text = Openssl.run(own, "crl", "-inform", "DER", "-in", "crl.der", "-noout",
          "-lastupdate", "-nextupdate").output();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "lastUpdate=(.*)\n\s*nextUpdate=(.*)").matcher(text);
      assertThat(m.find()).as(text).isTrue();
      java.time.format.DateTimeFormatter openssl = java.time.format.DateTimeFormatter
          .ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", java.util.Locale.ROOT);
      assertThat(Duration.between(
          java.time.LocalDateTime.parse(m.group(1).trim(), openssl),
          java.time.LocalDateTime.parse(m.group(2).trim(), openssl))).isEqualTo(
              Duration.ofSeconds(2));
    }
  }

  private static long crlNumberOf(TestServer server, Path directory, String file)
      throws Exception {
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        server.plain("/crl/" + file)).build(), HttpResponse.BodyHandlers.ofByteArray());
    Files.write(directory.resolve("crl.der"), response.body());
    return crlNumber(Openssl.run(directory, "crl", "-inform", "DER", "-in", "crl.der",
        "-noout", "-text").output());
  }

  private static int cli(String... args) {
    return new picocli.CommandLine(new dev.enroll.cli.Main()).execute(args);
  }

  private static long crlNumber(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("X509v3 CRL Number:\\s*\\n\\s*(\\d+)").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return Long.parseLong(m.group(1));
  }
}
