package dev.enroll.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.enroll.testing.Csrs;
import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group enrollment with a symmetric key: the group key created through the admin API and
 * kept encrypted, each device's key derived from it, proofs over a nonce or a timestamp, and
 * each wrong proof refused.
 */
class SymmetricKeyAttestationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path directory;
  static TestServer server;
  static byte[] groupKey;
  static String groupId;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, Clock.systemUTC(), String.join("\n",
        "  fleet:",
        "    profiles:",
        "      meters:",
        "        subjectKinds: [device]",
        "        attestation: [symmetric-key]",
        "        symmetricKey: {maxClockSkew: 2m}",
        "        names:",
        "          commonName: ['{externalId}']",
        "      other-meters:",
        "        subjectKinds: [device]",
        "        attestation: [symmetric-key]",
        "        names:",
        "          commonName: ['{externalId}']",
        ""));
    HttpResponse<String> created = server.postAdmin("/v1/groups",
        "{\"tenant\":\"fleet\",\"profile\":\"meters\",\"name\":\"batch-2026-12\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode group = TestServer.json(created);
    groupKey = Base64.getDecoder().decode(group.get("groupKey").asText());
    groupId = group.get("id").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void groupKeyIsStoredEncryptedAndNeverAudited() {
    String stored = server.scalarText("select encrypted_key from enrollment_group where id = '"
        + groupId + "'");
    String shown = Base64.getEncoder().encodeToString(groupKey);

    assertThat(stored).isNotBlank().doesNotContain(shown);
    assertThat(server.auditText()).contains("group.created").doesNotContain(shown);
  }

  @Test
  void deviceEnrollsWithATimestampedProofOnce() {
    String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String body = body("meter-0001", "batch-2026-12", Map.of("timestamp", timestamp,
        "mac", mac(deviceKey(groupKey, "meter-0001"), "meter-0001\n" + timestamp)));

    HttpResponse<String> first = server.enroll(body);
    HttpResponse<String> again = server.enroll(body);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(server.auditText()).contains("\"group.name\":\"batch-2026-12\"");
    refused(401, "symmetric-key-replayed", again);
  }

  @Test
  void deviceEnrollsWithAProofOverANonce() {
    String nonce = TestServer.json(server.post("/v1/nonces?tenant=fleet", "")).get("nonce")
        .asText();

    HttpResponse<String> response = server.enroll(body("meter-0002", groupId, Map.of(
        "nonce", nonce, "mac", mac(deviceKey(groupKey, "meter-0002"), nonce))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  @Test
  void keyOfAnotherDeviceIsRefused() {
    String timestamp = Instant.now().toString();

    refused(401, "symmetric-key-mac-invalid", server.enroll(body("meter-0003",
        "batch-2026-12", Map.of("timestamp", timestamp,
            "mac", mac(deviceKey(groupKey, "meter-9999"), "meter-0003\n" + timestamp)))));
  }

  @Test
  void groupKeyUsedDirectlyIsRefused() {
    String timestamp = Instant.now().toString();

    refused(401, "symmetric-key-mac-invalid", server.enroll(body("meter-0004",
        "batch-2026-12", Map.of("timestamp", timestamp,
            "mac", mac(groupKey, "meter-0004\n" + timestamp)))));
  }

  @Test
  void staleTimestampIsRefused() {
    String timestamp = Instant.now().minusSeconds(600).toString();

    refused(401, "symmetric-key-timestamp-skewed", server.enroll(body("meter-0005",
        "batch-2026-12", Map.of("timestamp", timestamp,
            "mac", mac(deviceKey(groupKey, "meter-0005"), "meter-0005\n" + timestamp)))));
  }

  @Test
  void unknownGroupIsRefused() {
    String timestamp = Instant.now().toString();

    refused(401, "group-unknown", server.enroll(body("meter-0006", "no-such-batch",
        Map.of("timestamp", timestamp, "mac", mac(groupKey, timestamp)))));
  }

  @Test
  void groupOfTheSameNameTwiceIsAConflict() {
    HttpResponse<String> twice = server.postAdmin("/v1/groups",
        "{\"tenant\":\"fleet\",\"profile\":\"meters\",\"name\":\"batch-2026-12\"}");

    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(TestServer.json(twice).get("type").asText())
        .isEqualTo("urn:enroll:problem:group-exists");
  }

  @Test
  void deviceEnrollsAgainWithItsKeyButNotThroughAnotherProfilesGroup() {
    String first = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString();
    assertThat(server.enroll(body("meter-0100", "batch-2026-12", Map.of("timestamp", first,
        "mac", mac(deviceKey(groupKey, "meter-0100"), "meter-0100\n" + first))))
        .statusCode()).isEqualTo(201);
    String again = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    assertThat(server.enroll(body("meter-0100", "batch-2026-12", Map.of("timestamp", again,
        "mac", mac(deviceKey(groupKey, "meter-0100"), "meter-0100\n" + again))))
        .statusCode()).as("its own key re-enrolls it").isEqualTo(201);
    JsonNode other = TestServer.json(server.postAdmin("/v1/groups",
        "{\"tenant\":\"fleet\",\"profile\":\"other-meters\",\"name\":\"other\"}"));
    byte[] otherKey = Base64.getDecoder().decode(other.get("groupKey").asText());

    HttpResponse<String> takeover = server.enroll(body("meter-0100", "other", Map.of(
        "timestamp", again, "mac", mac(deviceKey(otherKey, "meter-0100"),
            "meter-0100\n" + again))).replace("\"meters\"", "\"other-meters\""));

    refused(409, "subject-already-enrolled", takeover);
  }

  // --- helpers ---

  private static byte[] deviceKey(byte[] group, String registrationId) {
    return hmac(group, registrationId);
  }

  private static String mac(byte[] key, String text) {
    return Base64.getEncoder().encodeToString(hmac(key, text));
  }

  private static byte[] hmac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String body(String externalId, String group, Map<String, String> proof) {
    ObjectNode body = JSON.createObjectNode().put("tenant", "fleet").put("profile", "meters");
    body.putObject("subject").put("kind", "device").put("externalId", externalId);
    ObjectNode attestation = body.putObject("attestation").put("type", "symmetric-key")
        .put("group", group);
    proof.forEach(attestation::put);
    body.put("csr", Csrs.p256(externalId));
    return body.toString();
  }

  private static void refused(int status, String type, HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(TestServer.json(response).get("type").asText())
        .isEqualTo("urn:enroll:problem:" + type);
    assertThat(server.lastAuditEvent()).isEqualTo("enrollment.refused/refused/" + type);
  }
}
