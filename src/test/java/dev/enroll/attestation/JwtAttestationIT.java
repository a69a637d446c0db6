package dev.enroll.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.enroll.testing.Csrs;
import dev.enroll.testing.JwksServer;
import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attestation by JWT against key sets served over real HTTP by the test: the issuer's key
 * set by URL and by OpenID Connect discovery, and each way a token can be wrong, each with
 * its own problem type and nothing stored.
 */
class JwtAttestationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUDIENCE = "enroll.example.internal";

  @TempDir static Path directory;
  static JwksServer issuer;
  static JwksServer discovered;
  static JwksServer rotating;
  static ECKey signingKey;
  static RSAKey rsaKey;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    signingKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    issuer = JwksServer.start(signingKey, rsaKey);
    discovered = JwksServer.start(signingKey);
    rotating = JwksServer.start(signingKey);
    server = TestServer.start(directory, Clock.systemUTC(), String.join("\n",
        "  platform:",
        "    profiles:",
        "      workloads:",
        "        subjectKinds: [workload]",
        "        attestation: [jwt]",
        "        jwt:",
        "          issuers:",
        "            - issuer: " + issuer.issuer(),
        "              jwksUri: " + issuer.jwksUri(),
        "              algorithms: [ES256, RS256]",
        "              jwksMinRefreshInterval: 30s",
        "          audiences: [" + AUDIENCE + "]",
        "          maxTokenAge: 1h",
        "          claims:",
        "            namespace: /kubernetes.io/namespace",
        "        names:",
        "          commonName: ['{externalId}']",
        "      rotating:",
        "        subjectKinds: [workload]",
        "        attestation: [jwt]",
        "        jwt:",
        "          issuers:",
        "            - issuer: " + rotating.issuer(),
        "              jwksUri: " + rotating.jwksUri(),
        "              algorithms: [ES256]",
        "              jwksMinRefreshInterval: 60s",
        "          audiences: [" + AUDIENCE + "]",
        "        names:",
        "          commonName: ['{externalId}']",
        "      offline:",
        "        subjectKinds: [workload]",
        "        attestation: [jwt]",
        "        jwt:",
        "          issuers:",
        "            - issuer: https://offline.example",
        "              jwksUri: http://127.0.0.1:9/jwks.json",
        "          audiences: [" + AUDIENCE + "]",
        "        names:",
        "          commonName: ['{externalId}']",
        "      discovered:",
        "        subjectKinds: [workload]",
        "        attestation: [jwt]",
        "        jwt:",
        "          issuers:",
        "            - issuer: " + discovered.issuer(),
        "          audiences: [" + AUDIENCE + "]",
        "        names:",
        "          commonName: ['{externalId}']",
        ""));
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
    discovered.close();
    rotating.close();
  }

  @Test
  void kubernetesServiceAccountTokenEnrollsTheWorkloadItNames() throws Exception {
    String externalId = "system:serviceaccount:payments:api";
    String token = sign(signingKey, JWSAlgorithm.ES256, claims(externalId, b -> b.claim(
        "kubernetes.io", Map.of("namespace", "payments",
            "serviceaccount", Map.of("name", "api")))));

    HttpResponse<String> response = enroll("workloads", externalId, token);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode body = TestServer.json(response);
    assertThat(body.get("subject").get("externalId").asText()).isEqualTo(externalId);
    assertThat(body.get("credentials").get(0).get("certificate").asText())
        .startsWith("-----BEGIN CERTIFICATE-----");
    String audit = server.auditText();
    assertThat(audit).contains("\"jwt.iss\":\"" + issuer.issuer() + "\"")
        .contains("\"method\":\"jwt\"")
        .doesNotContain(token)
        .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
  }

  @Test
  void rsaSignedTokenIsAccepted() throws Exception {
    String externalId = "rsa-" + UUID.randomUUID();
    String token = sign(rsaKey, JWSAlgorithm.RS256, claims(externalId, b -> { }));

    assertThat(enroll("workloads", externalId, token).statusCode()).isEqualTo(201);
  }

  @Test
  void issuerFoundByDiscoveryIsTrusted() throws Exception {
    String externalId = "discovered-" + UUID.randomUUID();
    JWTClaimsSet claims = new JWTClaimsSet.Builder(claims(externalId, b -> { }))
        .issuer(discovered.issuer()).build();

    HttpResponse<String> response = enroll("discovered", externalId,
        sign(signingKey, JWSAlgorithm.ES256, claims));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(discovered.jwksFetches()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void replayedTokenIsRefusedTheSecondTime() throws Exception {
    String externalId = "replay-" + UUID.randomUUID();
    String token = sign(signingKey, JWSAlgorithm.ES256, claims(externalId, b -> { }));
    assertThat(enroll("workloads", externalId, token).statusCode()).isEqualTo(201);

    refused(401, "jwt-replayed", "workloads", externalId, token);
  }

  @Test
  void tokenWithoutJtiIsAlsoAcceptedOnlyOnce() throws Exception {
    String externalId = "nojti-" + UUID.randomUUID();
    String token = sign(signingKey, JWSAlgorithm.ES256,
        claims(externalId, b -> b.jwtID(null)));
    assertThat(enroll("workloads", externalId, token).statusCode()).isEqualTo(201);

    refused(401, "jwt-replayed", "workloads", externalId, token);
  }

  @Test
  void expiredTokenIsRefused() throws Exception {
    Instant now = Instant.now();
    refusedToken(401, "jwt-expired", b -> b.issueTime(Date.from(now.minusSeconds(900)))
        .expirationTime(Date.from(now.minusSeconds(120))));
  }

  @Test
  void expiryWithinTheLeewayIsStillAccepted() throws Exception {
    String externalId = "leeway-" + UUID.randomUUID();
    String token = sign(signingKey, JWSAlgorithm.ES256, claims(externalId,
        b -> b.expirationTime(Date.from(Instant.now().minusSeconds(30)))));

    assertThat(enroll("workloads", externalId, token).statusCode()).isEqualTo(201);
  }

  @Test
  void notYetValidTokenIsRefused() throws Exception {
    refusedToken(401, "jwt-not-yet-valid",
        b -> b.notBeforeTime(Date.from(Instant.now().plusSeconds(300))));
  }

  @Test
  void tokenOlderThanTheProfileAllowsIsRefused() throws Exception {
    refusedToken(401, "jwt-too-old",
        b -> b.issueTime(Date.from(Instant.now().minus(Duration.ofHours(2)))));
  }

  @Test
  void tokenFromAnUntrustedIssuerIsRefused() throws Exception {
    refusedToken(401, "jwt-issuer-unknown", b -> b.issuer("https://evil.example"));
  }

  @Test
  void tokenForAnotherAudienceIsRefused() throws Exception {
    refusedToken(403, "jwt-audience-mismatch", b -> b.audience(List.of("other-service")));
  }

  @Test
  void tokenForAnotherSubjectIsRefused() throws Exception {
    String token = sign(signingKey, JWSAlgorithm.ES256, claims("someone-else", b -> { }));

    refused(403, "jwt-subject-mismatch", "workloads", "me-" + UUID.randomUUID(), token);
  }

  @Test
  void unsignedTokenIsRefused() throws Exception {
    String externalId = "none-" + UUID.randomUUID();
    String token = new PlainJWT(claims(externalId, b -> { })).serialize();

    JsonNode problem = refused(401, "jwt-algorithm-not-allowed", "workloads", externalId,
        token);

    assertThat(problem.get("detail").asText()).contains("alg: none");
  }

  @Test
  void hmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
    String externalId = "hs256-" + UUID.randomUUID();
    // The classic confusion: the issuer's public key used as an HMAC secret.
    byte[] publicKey = rsaKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID(rsaKey.getKeyID()).build(), claims(externalId, b -> { }));
    jwt.sign(new MACSigner(publicKey));

    refused(401, "jwt-algorithm-not-allowed", "workloads", externalId, jwt.serialize());
  }

  @Test
  void tokenSignedByAnUnknownKeyIsRefused() throws Exception {
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger").generate();
    String externalId = "stranger-" + UUID.randomUUID();

    refused(401, "jwt-key-unknown", "workloads", externalId,
        sign(stranger, JWSAlgorithm.ES256, claims(externalId, b -> { })));
  }

  @Test
  void forgedSignatureUnderAKnownKeyIdIsRefused() throws Exception {
    ECKey forger = new ECKeyGenerator(Curve.P_256).keyID(signingKey.getKeyID()).generate();
    String externalId = "forged-" + UUID.randomUUID();

    refused(401, "jwt-signature-invalid", "workloads", externalId,
        sign(forger, JWSAlgorithm.ES256, claims(externalId, b -> { })));
  }

  @Test
  void malformedTokensAreRefused() throws Exception {
    String externalId = "malformed-" + UUID.randomUUID();
    refused(400, "jwt-malformed", "workloads", externalId, "not.a.jwt");
    refused(400, "jwt-malformed", "workloads", externalId, "a.b");
    String header = Base64URL.encode("{\"alg\":\"ES256\"}").toString();
    String notJson = Base64URL.encode("[1,2").toString();
    refused(400, "jwt-malformed", "workloads", externalId, header + "." + notJson + ".sig");
  }

  @Test
  void tokenWithoutExpiryIsRefused() throws Exception {
    refusedToken(400, "jwt-malformed", b -> b.expirationTime(null));
  }

  @Test
  void rotatedKeyIsFetchedOnceWhileMadeUpKeyIdsAreBounded() throws Exception {
    String first = "before-rotation-" + UUID.randomUUID();
    assertThat(enroll("rotating", first, sign(signingKey, JWSAlgorithm.ES256,
        rotatingClaims(first))).statusCode()).isEqualTo(201);
    ECKey rotated = new ECKeyGenerator(Curve.P_256).keyID("ec-rotated").generate();
    rotating.publish(signingKey, rotated);
    String externalId = "rotated-" + UUID.randomUUID();

    HttpResponse<String> accepted = enroll("rotating", externalId,
        sign(rotated, JWSAlgorithm.ES256, rotatingClaims(externalId)));
    int fetchesAfterRotation = rotating.jwksFetches();
    for (int i = 0; i < 20; i++) {
      ECKey madeUp = new ECKeyGenerator(Curve.P_256).keyID("made-up-" + i).generate();
      String id = "flood-" + i + "-" + UUID.randomUUID();
      HttpResponse<String> flood = enroll("rotating", id,
          sign(madeUp, JWSAlgorithm.ES256, rotatingClaims(id)));
      assertThat(TestServer.json(flood).get("type").asText())
          .isEqualTo("urn:enroll:problem:jwt-key-unknown");
    }

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
    assertThat(fetchesAfterRotation).as("first fetch, then one on the rotated kid")
        .isEqualTo(2);
    assertThat(rotating.jwksFetches() - fetchesAfterRotation)
        .as("key set fetches caused by 20 made-up key ids").isLessThanOrEqualTo(1);
  }

  private static JWTClaimsSet rotatingClaims(String subject) {
    return new JWTClaimsSet.Builder(claims(subject, b -> { })).issuer(rotating.issuer())
        .build();
  }

  @Test
  void tokenWithAHugeJtiEnrollsAndItsAuditEventIsCutToFit() throws Exception {
    String externalId = "big-jti-" + UUID.randomUUID();
    String token = sign(signingKey, JWSAlgorithm.ES256, claims(externalId,
        b -> b.jwtID("j".repeat(11_000))));

    HttpResponse<String> response = enroll("workloads", externalId, token);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(server.auditText()).contains("\"truncated\":true");
  }

  @Test
  void namedClaimThatIsAListIsRefusedRatherThanComparedUnequal() throws Exception {
    refusedToken(400, "jwt-malformed", b -> b.claim("kubernetes.io",
        Map.of("namespace", List.of("payments"))));
  }

  @Test
  void criticalHeaderParametersAreRefused() throws Exception {
    String externalId = "crit-" + UUID.randomUUID();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(signingKey.getKeyID()).criticalParams(java.util.Set.of("exp-policy"))
        .customParam("exp-policy", "strict").build(), claims(externalId, b -> { }));
    jwt.sign(new ECDSASigner(signingKey));

    refused(400, "jwt-malformed", "workloads", externalId, jwt.serialize());
  }

  @Test
  void issuerWhoseKeySetIsDownIsUnavailableNotABadToken() throws Exception {
    for (int i = 0; i < 3; i++) {
      String externalId = "offline-" + i;
      JWTClaimsSet claims = new JWTClaimsSet.Builder(claims(externalId, b -> { }))
          .issuer("https://offline.example").build();

      HttpResponse<String> response = enroll("offline", externalId,
          sign(signingKey, JWSAlgorithm.ES256, claims));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      assertThat(TestServer.json(response).get("type").asText())
          .isEqualTo("urn:enroll:problem:jwks-unavailable");
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }
  }

  // --- helpers ---

  private static JWTClaimsSet claims(String subject, Consumer<JWTClaimsSet.Builder> change) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
        .issuer(issuer.issuer())
        .subject(subject)
        .audience(List.of(AUDIENCE, "kubernetes"))
        .issueTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plusSeconds(600)))
        .jwtID(UUID.randomUUID().toString());
    change.accept(builder);
    return builder.build();
  }

  private static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims)
      throws Exception {
    JWSSigner signer = key instanceof ECKey ? new ECDSASigner((ECKey) key)
        : new RSASSASigner((RSAKey) key);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static HttpResponse<String> enroll(String profile, String externalId,
      String token) {
    ObjectNode body = JSON.createObjectNode().put("tenant", "platform")
        .put("profile", profile);
    body.putObject("subject").put("kind", "workload").put("externalId", externalId);
    body.putObject("attestation").put("type", "jwt").put("token", token);
    body.put("csr", Csrs.p256(externalId));
    return server.enroll(body.toString());
  }

  private static void refusedToken(int status, String type,
      Consumer<JWTClaimsSet.Builder> change) throws Exception {
    String externalId = type + "-" + UUID.randomUUID();
    refused(status, type, "workloads", externalId,
        sign(signingKey, JWSAlgorithm.ES256, claims(externalId, change)));
  }

  private static JsonNode refused(int status, String type, String profile, String externalId,
      String token) {
    Map<String, Long> before = server.counts();

    HttpResponse<String> response = enroll(profile, externalId, token);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode problem = TestServer.json(response);
    assertThat(problem.get("type").asText()).isEqualTo("urn:enroll:problem:" + type);
    assertThat(problem.get("detail").asText()).isNotBlank().doesNotContain(token);
    Map<String, Long> after = server.counts();
    for (String table : TestServer.RECORD_TABLES) {
      assertThat(after.get(table)).as(table).isEqualTo(before.get(table));
    }
    assertThat(server.lastAuditEvent()).isEqualTo("enrollment.refused/refused/" + type);
    return problem;
  }
}
