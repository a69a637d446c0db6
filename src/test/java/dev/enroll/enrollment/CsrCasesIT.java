package dev.enroll.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real CSRs written by other tools, read as they are from {@code ../shared/cases/csr}: each
 * gets the verdict its row in that folder's README gives.
 */
class CsrCasesIT {
  private static final Pattern ROW =
      Pattern.compile("^\\| (\\d+) \\| ([^ |]+) \\|.*\\| ([^|]+) \\|\\s*$");

  /** The README's refusal reasons and the problem each must get. */
  private static final Map<String, String> PROBLEMS = Map.of(
      "weak key", "csr-key-weak",
      "weak hash", "csr-signature-weak",
      "CA request", "csr-ca-request",
      "invalid signature", "csr-signature-invalid",
      "malformed", "csr-malformed",
      "unsupported algorithm", "csr-algorithm-unsupported");

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

  static Path casesDirectory() {
    String dir = System.getProperty("enroll.casesDir", "../shared/cases");
    return Path.of(dir, "csr");
  }

  /** Each row of the README's table: number, file, verdict. */
  static List<Arguments> cases() throws IOException {
    List<Arguments> rows = new ArrayList<>();
    for (String line : Files.readAllLines(casesDirectory().resolve("README.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        String verdict = m.group(3).trim();
        String name = (verdict.startsWith("accept") ? "ok/" : "fail/") + m.group(1) + "-"
            + m.group(2);
        rows.add(Arguments.of(name, m.group(2), verdict));
      }
    }
    return rows;
  }

  @Test
  void theReadmeListsFortyCases() throws IOException {
    assertThat(cases()).hasSize(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void csrGetsTheVerdictOfItsRow(String name, String file, String verdict) throws IOException {
    String csr = requestText(casesDirectory().resolve(file));
    String profile = "cases";
    Map<String, Long> before = server.counts();

    HttpResponse<String> response = server.enroll(TestServer.enrollment(profile,
        "case-" + name.replaceAll("[^A-Za-z0-9]", "-"), server.token(profile), csr));

    JsonNode body = TestServer.json(response);
    if (verdict.startsWith("accept")) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      assertThat(body.at("/credentials/0/serial").asText()).matches("[0-9A-F]+");
      return;
    }
    String expected = verdict.startsWith("depends") ? "csr-malformed"
        : PROBLEMS.get(firstReason(verdict));
    assertThat(expected).as("a problem for verdict '%s'", verdict).isNotNull();
    assertThat(body.get("type").asText()).as(response.body())
        .isEqualTo("urn:enroll:problem:" + expected);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    Map<String, Long> after = server.counts();
    for (String table : TestServer.RECORD_TABLES) {
      assertThat(after.get(table)).as(table).isEqualTo(before.get(table));
    }
  }

  @Test
  void requestWithoutNamesIsAcceptedWhereTheProfileSuppliesTheSubject() throws IOException {
    String csr = requestText(casesDirectory().resolve("rsa2048-no-names-boulder.der"));

    HttpResponse<String> response = server.enroll(TestServer.enrollment("by-external-id",
        "device-without-names", server.token("by-external-id"), csr));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(TestServer.json(response).at("/credentials/0/certificate").asText())
        .startsWith("-----BEGIN CERTIFICATE-----");
  }

  private static String firstReason(String verdict) {
    String reason = verdict.replaceFirst("^refuse\\s*[—-]\\s*", "");
    return reason.split(" \\(|;", 2)[0].trim();
  }

  /** PEM files go as their text, bytes and all; DER files as base64, as JSON needs. */
  private static String requestText(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return file.toString().endsWith(".der")
        ? Base64.getEncoder().encodeToString(bytes)
        : new String(bytes, StandardCharsets.UTF_8);
  }
}
