package dev.enroll.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.enroll.testing.Csrs;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attestation by a manufacturer's device certificate, every certificate made with openssl:
 * the key proven by mutual TLS (curl) or by a signed server nonce, and each way a device
 * certificate can be wrong.
 */
class DeviceCertificateAttestationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "maker.key", "-out", "maker.pem", "-subj", "/O=Maker/CN=Maker Device CA",
        "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "other.key", "-out", "other.pem", "-subj", "/O=Other/CN=Other CA",
        "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    Files.writeString(dir.resolve("client.ext"), "basicConstraints=CA:FALSE\n"
        + "keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n");
    Files.writeString(dir.resolve("server.ext"), "basicConstraints=CA:FALSE\n"
        + "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
    device("good", "SN-0001", "maker", "30", "client.ext");
    device("tls", "SN-0002", "maker", "30", "client.ext");
    device("expired", "SN-0003", "maker", "-1", "client.ext");
    device("foreign", "SN-0004", "other", "30", "client.ext");
    device("server", "SN-0005", "maker", "30", "server.ext");
    device("revoked", "SN-0006", "maker", "30", "client.ext");
    openssl("req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", "weak.key",
        "-out", "weak.csr", "-subj", "/O=Maker/serialNumber=SN-0008/CN=sensor");
    openssl("x509", "-req", "-in", "weak.csr", "-CA", "maker.pem", "-CAkey", "maker.key",
        "-CAcreateserial", "-days", "30", "-extfile", "client.ext", "-out", "weak.pem");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "self.key", "-out", "self.pem", "-subj", "/serialNumber=SN-0007/CN=self",
        "-days", "30");

    // The maker's CRL lists SN-0006, made by openssl ca.
    Files.writeString(dir.resolve("ca.cnf"), String.join("\n", "[ca]", "default_ca = maker",
        "[maker]", "database = index.txt", "crlnumber = crlnumber", "default_md = sha256",
        "default_crl_days = 30", "certificate = maker.pem", "private_key = maker.key", ""));
    Files.writeString(dir.resolve("index.txt"), "");
    Files.writeString(dir.resolve("crlnumber"), "01\n");
    openssl("ca", "-config", "ca.cnf", "-revoke", "revoked.pem", "-crl_reason",
        "keyCompromise");
    openssl("ca", "-config", "ca.cnf", "-gencrl", "-out", "maker.crl");

    server = TestServer.start(dir, Clock.systemUTC(), String.join("\n",
        "  factory:",
        "    profiles:",
        "      sensors:",
        "        subjectKinds: [device]",
        "        attestation: [x509]",
        "        x509:",
        "          manufacturerCas: ['" + dir.resolve("maker.pem") + "']",
        "          crls: ['" + dir.resolve("maker.crl") + "']",
        "        names:",
        "          commonName: ['{externalId}']",
        ""));
    Files.writeString(dir.resolve("roots.pem"), server.rootsPem());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void deviceEnrollsOverMutualTlsWithItsManufacturerCertificate() throws IOException {
    Files.writeString(dir.resolve("tls-body.json"), body("SN-0002", Map.of()));

    Openssl.Outcome curl = Openssl.exec(dir, List.of("curl", "-sS", "--cacert", "roots.pem",
        "--cert", "tls.pem", "--key", "tls.key", "-H", "Content-Type: application/json",
        "--data-binary", "@tls-body.json", "-w", "\n%{http_code}",
        server.api("/v1/enrollments").toString()));

    assertThat(curl.output()).as(curl.output()).endsWith("201");
    assertThat(server.auditText()).contains("\"device.serial\"")
        .contains("CN=Maker Device CA");
  }

  @Test
  void deviceEnrollsBySigningAServerNonce() throws IOException {
    String nonce = nonce();

    HttpResponse<String> response = enroll("SN-0001", "good", nonce, sign("good", nonce));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    HttpResponse<String> again = enroll("SN-0001", "good", nonce, sign("good", nonce));
    assertThat(problem(again)).isEqualTo("nonce-invalid");
  }

  @Test
  void signatureByAnotherKeyDoesNotProveTheDevice() {
    String nonce = nonce();

    refused(401, "device-key-not-proven", enroll("SN-0001", "good", nonce,
        sign("foreign", nonce)));
  }

  @Test
  void expiredDeviceCertificateIsRefused() {
    String nonce = nonce();

    refused(401, "device-certificate-expired",
        enroll("SN-0003", "expired", nonce, sign("expired", nonce)));
  }

  @Test
  void selfSignedDeviceCertificateIsRefused() {
    String nonce = nonce();

    refused(401, "device-certificate-self-signed",
        enroll("SN-0007", "self", nonce, sign("self", nonce)));
  }

  @Test
  void certificateFromAnotherCaIsRefused() {
    String nonce = nonce();

    refused(401, "device-certificate-untrusted",
        enroll("SN-0004", "foreign", nonce, sign("foreign", nonce)));
  }

  @Test
  void serverCertificateIsTheWrongPurpose() {
    String nonce = nonce();

    refused(401, "device-certificate-wrong-purpose",
        enroll("SN-0005", "server", nonce, sign("server", nonce)));
  }

  @Test
  void certificateOnTheManufacturersCrlIsRefused() {
    String nonce = nonce();

    refused(401, "device-certificate-revoked",
        enroll("SN-0006", "revoked", nonce, sign("revoked", nonce)));
  }

  @Test
  void certificateOfAnotherDeviceIsRefused() {
    String nonce = nonce();

    refused(403, "device-subject-mismatch",
        enroll("SN-9999", "good", nonce, sign("good", nonce)));
  }

  @Test
  void noCertificateAtAllIsRefused() {
    refused(401, "client-certificate-required",
        server.enroll(body("SN-0001", Map.of())));
  }

  @Test
  void nonceMadeUpByTheClientIsRefused() {
    String nonce = "made-up-nonce";

    refused(401, "nonce-invalid", enroll("SN-0001", "good", nonce, sign("good", nonce)));
  }

  @Test
  void weakDeviceKeyIsRefused() {
    String nonce = nonce();

    refused(401, "device-key-weak", enroll("SN-0008", "weak", nonce, sign("weak", nonce)));
  }

  // --- helpers ---

  private static void device(String name, String serial, String ca, String days,
      String extensions) {
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr",
        "-subj", "/O=Maker/serialNumber=" + serial + "/CN=sensor");
    openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
        "-CAcreateserial", "-days", days, "-extfile", extensions, "-out", name + ".pem");
  }

  private static void openssl(String... args) {
    Openssl.Outcome outcome = Openssl.run(dir, args);
    if (outcome.exitCode() != 0) {
      throw new IllegalStateException("openssl " + args[0] + ": " + outcome.output());
    }
  }

  private static String nonce() {
    HttpResponse<String> response = server.post("/v1/nonces?tenant=factory", "");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return TestServer.json(response).get("nonce").asText();
  }

  private static String sign(String key, String nonce) {
    try {
      Path file = Files.writeString(dir.resolve("nonce-" + key + ".txt"), nonce);
      openssl("dgst", "-sha256", "-sign", key + ".key", "-out", "nonce-" + key + ".sig",
          file.getFileName().toString());
      return Base64.getEncoder().encodeToString(
          Files.readAllBytes(dir.resolve("nonce-" + key + ".sig")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String body(String externalId, Map<String, String> evidence) {
    ObjectNode body = JSON.createObjectNode().put("tenant", "factory")
        .put("profile", "sensors");
    body.putObject("subject").put("kind", "device").put("externalId", externalId);
    ObjectNode attestation = body.putObject("attestation").put("type", "x509");
    evidence.forEach(attestation::put);
    body.put("csr", Csrs.p256(externalId));
    return body.toString();
  }

  private static HttpResponse<String> enroll(String externalId, String certificate,
      String nonce, String signature) {
    try {
      return server.enroll(body(externalId, Map.of(
          "certificate", Files.readString(dir.resolve(certificate + ".pem")),
          "nonce", nonce, "signature", signature)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String problem(HttpResponse<String> response) {
    JsonNode problem = TestServer.json(response);
    return problem.path("type").asText().replace("urn:enroll:problem:", "");
  }

  private static void refused(int status, String type, HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(problem(response)).isEqualTo(type);
    assertThat(server.lastAuditEvent()).isEqualTo("enrollment.refused/refused/" + type);
  }
}
