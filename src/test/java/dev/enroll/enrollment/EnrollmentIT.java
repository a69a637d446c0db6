package dev.enroll.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A device enrolls over HTTPS with a CSR made by the real openssl; openssl verifies. */
class EnrollmentIT {
  @TempDir static Path directory;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<Arguments> keyTypes() {
    return List.of(
        Arguments.of("p256", List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256")),
        Arguments.of("rsa2048", List.of("rsa:2048")),
        Arguments.of("p384", List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-384")));
  }

  @ParameterizedTest(name = "ok/{0}")
  @MethodSource("keyTypes")
  void certificateFromOpensslCsrPassesOpensslVerify(String name, List<String> key)
      throws Exception {
    Path dir = Files.createDirectories(directory.resolve(name));
    String id = "sensor-" + name;
    String csr = Openssl.csr(dir, name, key, "/CN=" + id,
        "DNS:" + id + ".devices.example.internal,URI:spiffe://example.internal/device/" + id);

    HttpResponse<String> response =
        server.enroll(TestServer.enrollment("devices", id, server.token("devices"), csr));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(response.headers().firstValue("Location")).isPresent();
    JsonNode body = TestServer.json(response);
    assertThat(body.at("/subject/externalId").asText()).isEqualTo(id);
    assertThat(body.at("/subject/kind").asText()).isEqualTo("device");
    assertThat(body.at("/subject/state").asText()).isEqualTo("active");
    JsonNode credential = body.at("/credentials/0");
    assertThat(credential.get("type").asText()).isEqualTo("x509");
    Files.writeString(dir.resolve("cert.pem"), credential.get("certificate").asText());
    Files.writeString(dir.resolve("chain.pem"), credential.get("chain").asText());
    Files.writeString(dir.resolve("roots.pem"), server.rootsPem());

    Openssl.Outcome verify = Openssl.run(dir, "verify", "-CAfile", "roots.pem",
        "-untrusted", "chain.pem", "cert.pem");
    assertThat(verify.output()).contains("cert.pem: OK");
    assertThat(verify.exitCode()).isZero();

    Openssl.Outcome serial = Openssl.run(dir, "x509", "-in", "cert.pem", "-noout", "-serial");
    assertThat(serial.output().trim()).isEqualTo("serial=" + credential.get("serial").asText());

    Openssl.Outcome matches = Openssl.run(dir, "x509", "-in", "cert.pem", "-noout", "-pubkey");
    Openssl.Outcome keyPub = Openssl.run(dir, "pkey", "-in", name + ".key", "-pubout");
    assertThat(matches.output()).isEqualTo(keyPub.output());
  }

  @Test
  void certificateCarriesWhatTheProfileDecides() throws Exception {
    String id = "sensor-shape";
    Path dir = Files.createDirectories(directory.resolve("shape"));
    String csr = Openssl.p256(dir, "shape", "/CN=" + id,
        "DNS:" + id + ".devices.example.internal");

    JsonNode credential = TestServer.json(server.enroll(
        TestServer.enrollment("devices", id, server.token("devices"), csr)))
        .at("/credentials/0");
    X509Certificate cert = certificate(credential.get("certificate").asText());
    JcaX509CertificateHolder holder = new JcaX509CertificateHolder(cert);

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + id);
    assertThat(cert.getSubjectAlternativeNames()).containsExactly(
        List.of(2, id + ".devices.example.internal"));
    assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_clientAuth
        .getId());
    boolean[] usage = cert.getKeyUsage();
    assertThat(usage[0]).as("digitalSignature").isTrue();
    assertThat(usage[2]).as("keyEncipherment is for RSA keys only").isFalse();
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(holder.getExtension(Extension.subjectKeyIdentifier)).isNotNull();
    assertThat(holder.getExtension(Extension.authorityKeyIdentifier)).isNotNull();
    assertThat(holder.getExtension(Extension.cRLDistributionPoints)).isNotNull();
    assertThat(holder.getExtension(Extension.authorityInfoAccess)).isNotNull();
    String httpBase = "http://localhost:" + server.server().httpPort() + "/";
    assertThat(new String(cert.getExtensionValue(Extension.authorityInfoAccess.getId()),
        StandardCharsets.ISO_8859_1)).contains(httpBase + "ocsp");
    assertThat(new String(cert.getExtensionValue(Extension.cRLDistributionPoints.getId()),
        StandardCharsets.ISO_8859_1)).contains(httpBase + "crl/");

    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    assertThat(Duration.between(notBefore, Instant.now()).toSeconds()).isBetween(55L, 120L);
    assertThat(Duration.between(notBefore, notAfter))
        .isEqualTo(Duration.ofHours(24).plusSeconds(60));
    assertThat(credential.get("notAfter").asText()).isEqualTo(notAfter.toString());
  }

  @Test
  void emptySubjectWithNamesGetsACriticalAlternativeName() throws Exception {
    Path dir = Files.createDirectories(directory.resolve("empty"));
    String id = "sensor-empty";
    String csr = Openssl.p256(dir, "empty", "/", "DNS:" + id + ".devices.example.internal");

    HttpResponse<String> response =
        server.enroll(TestServer.enrollment("devices", id, server.token("devices"), csr));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    X509Certificate cert = certificate(TestServer.json(response)
        .at("/credentials/0/certificate").asText());
    assertThat(cert.getSubjectX500Principal().getName()).isEmpty();
    assertThat(cert.getCriticalExtensionOIDs())
        .contains(Extension.subjectAlternativeName.getId());
  }

  @Test
  void tokenBoundToASubjectEnrollsItAgain() throws Exception {
    String id = "sensor-again";
    String csr = Openssl.p256(directory, "again", "/CN=" + id, null);
    JsonNode first = TestServer.json(server.enroll(TestServer.enrollment("devices", id,
        server.token("devices"), csr)));
    String bound = TestServer.json(server.postAdmin("/v1/tokens",
        "{\"profile\":\"devices\",\"externalId\":\"" + id + "\"}")).get("token").asText();

    HttpResponse<String> again = server.enroll(TestServer.enrollment("devices", id, bound,
        Openssl.p256(directory, "again2", "/CN=" + id, null)));

    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    JsonNode second = TestServer.json(again);
    assertThat(second.at("/subject/id")).isEqualTo(first.at("/subject/id"));
    assertThat(second.at("/credentials/0/serial")).isNotEqualTo(first.at("/credentials/0/serial"));
    JsonNode subject = TestServer.json(server.getAdmin("/v1/subjects/"
        + first.at("/subject/id").asText()));
    assertThat(subject.get("credentials")).hasSize(2);
  }

  @Test
  void restartKeepsTheRootAndTheRecords(@TempDir Path own) throws Exception {
    try (TestServer first = TestServer.start(own)) {
      String roots = first.rootsPem();
      String id = "sensor-restart";
      String csr = Openssl.p256(own, "before", "/CN=" + id, null);
      assertThat(first.enroll(TestServer.enrollment("devices", id, first.token("devices"),
          csr)).statusCode()).isEqualTo(201);

      first.restart();

      assertThat(first.rootsPem()).isEqualTo(roots);
      assertThat(first.server().bootstrapAdminKey()).isEmpty();
      assertThat(first.scalar("select count(*) from subject")).isEqualTo(1);
      String second = Openssl.p256(own, "after", "/CN=sensor-after", null);
      HttpResponse<String> response = first.enroll(TestServer.enrollment("devices",
          "sensor-after", first.token("devices"), second));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      JsonNode credential = TestServer.json(response).at("/credentials/0");
      Files.writeString(own.resolve("cert.pem"), credential.get("certificate").asText());
      Files.writeString(own.resolve("chain.pem"), credential.get("chain").asText());
      Files.writeString(own.resolve("roots.pem"), roots);
      Openssl.Outcome verify = Openssl.run(own, "verify", "-CAfile", "roots.pem",
          "-untrusted", "chain.pem", "cert.pem");
      assertThat(verify.exitCode()).as(verify.output()).isZero();
    }
  }

  static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
