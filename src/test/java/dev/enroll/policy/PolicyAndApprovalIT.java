package dev.enroll.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.enroll.testing.Csrs;
import dev.enroll.testing.JwksServer;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles' CEL policies deciding from verified JWT claims (allow, deny, roles, names,
 * lifetime, fail closed), and the approval round trip: 202, a second admin's decision, the
 * certificate or a problem at the enrollment's Location, and expiry.
 */
class PolicyAndApprovalIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path directory;
  static JwksServer issuer;
  static ECKey key;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    issuer = JwksServer.start(key);
    server = TestServer.start(directory, Clock.systemUTC(), String.join("\n",
        "  platform:",
        "    profiles:",
        "      k8s:",
        "        subjectKinds: [workload]",
        "        attestation: [jwt]",
        "        jwt:",
        "          issuers: [{issuer: '" + issuer.issuer() + "', jwksUri: '"
            + issuer.jwksUri() + "', algorithms: [ES256]}]",
        "          audiences: [enroll]",
        "          claims: {namespace: /kubernetes.io/namespace,"
            + " serviceAccount: /kubernetes.io/serviceaccount/name}",
        "        certificate: {validity: 2h}",
        "        names:",
        "          subjectAttributes: []",
        "          commonName: []",
        "          uri: ['spiffe://example.internal/**']",
        "        policy:",
        "          rules:",
        "            - deny: claims.namespace == 'kube-system'",
        "              reason: system namespaces do not enroll",
        "            - allow: claims.namespace.startsWith('team-')",
        "          roles: >-",
        "            ['workload'] + (claims.namespace == 'team-ops' ? ['operator'] : [])",
        "          names:",
        "            uri: >-",
        "              ['spiffe://example.internal/ns/' + claims.namespace + '/sa/'",
        "              + claims.serviceAccount]",
        "          validity: >-",
        "            claims.namespace == 'team-ci' ? duration('15m') : duration('1h')",
        "          approval: \"'tier' in subject.attributes && subject.attributes.tier =="
            + " 'prod'\"",
        "      broken:",
        "        subjectKinds: [device]",
        "        attestation: [token]",
        "        policy:",
        "          rules: [{allow: claims.missing == 'x'}]",
        "      gated:",
        "        subjectKinds: [device]",
        "        attestation: [token]",
        "        approval: {required: true, expiresAfter: 1h}",
        "      named:",
        "        subjectKinds: [device]",
        "        attestation: [token]",
        "        names: {commonName: ['{externalId}'], dns: ['**']}",
        "        policy:",
        "          names: {dns: '[subject.attributes.host]'}",
        "      hurried:",
        "        subjectKinds: [device]",
        "        attestation: [token]",
        "        approval: {required: true, expiresAfter: 1s}",
        ""));
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
  }

  @Test
  void teamWorkloadGetsThePolicysNamesRolesAndLifetime() throws Exception {
    HttpResponse<String> response = enrollWorkload("team-a", "api", Map.of(), null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode body = TestServer.json(response);
    assertThat(body.get("roles").toString()).isEqualTo("[\"workload\"]");
    X509Certificate cert = certificate(body.get("credentials").get(0));
    assertThat(cert.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)))
        .containsExactly("spiffe://example.internal/ns/team-a/sa/api");
    Duration lifetime = Duration.between(cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant());
    assertThat(lifetime).isBetween(Duration.ofHours(1), Duration.ofMinutes(62));
    assertThat(server.auditText()).contains("\"roles\":[\"workload\"]");
  }

  @Test
  void policyGivesMoreRolesAndAShorterLifetimeByClaim() throws Exception {
    JsonNode ops = TestServer.json(enrollWorkload("team-ops", "deployer", Map.of(), null));
    JsonNode ci = TestServer.json(enrollWorkload("team-ci", "runner", Map.of(), null));

    assertThat(ops.get("roles").toString()).isEqualTo("[\"workload\",\"operator\"]");
    X509Certificate cert = certificate(ci.get("credentials").get(0));
    assertThat(Duration.between(cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant())).isLessThan(Duration.ofMinutes(17));
  }

  @Test
  void denyRuleWinsAndNamesItsReason() throws Exception {
    HttpResponse<String> response = enrollWorkload("kube-system", "coredns", Map.of(), null);

    assertThat(response.statusCode()).isEqualTo(403);
    JsonNode problem = TestServer.json(response);
    assertThat(problem.get("type").asText()).isEqualTo("urn:enroll:problem:policy-denied");
    assertThat(problem.get("detail").asText()).isEqualTo("system namespaces do not enroll");
    assertThat(server.lastAuditEvent()).isEqualTo("enrollment.refused/refused/policy-denied");
  }

  @Test
  void subjectNoAllowRuleMatchesIsRefused() throws Exception {
    Map<String, Long> before = server.counts();

    HttpResponse<String> response = enrollWorkload("default", "web", Map.of(), null);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(TestServer.json(response).get("type").asText())
        .isEqualTo("urn:enroll:problem:policy-denied");
    assertThat(server.counts().get("credential")).isEqualTo(before.get("credential"));
  }

  @Test
  void csrAskingForANameThePolicyDoesNotGiveIsRefused() throws Exception {
    String csr = Openssl.p256(directory, "other-uri-" + UUID.randomUUID(), "/",
        "URI:spiffe://example.internal/ns/team-b/sa/admin");

    HttpResponse<String> response = enrollWorkload("team-a", "api2", Map.of(), csr);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(TestServer.json(response).get("type").asText())
        .isEqualTo("urn:enroll:problem:name-not-allowed");
  }

  @Test
  void expressionFailingAtRunTimeFailsClosedWithoutShowingThePolicy() {
    String token = server.token("platform", "broken", 1);

    HttpResponse<String> response = server.enroll(deviceBody("broken", "dev-broken", token));

    assertThat(response.statusCode()).isEqualTo(403);
    JsonNode problem = TestServer.json(response);
    assertThat(problem.get("type").asText())
        .isEqualTo("urn:enroll:problem:policy-evaluation-failed");
    assertThat(problem.get("detail").asText()).doesNotContain("missing");
    assertThat(server.getPlain("/metrics").body()).containsPattern(
        "enroll_policy_decisions_total\\{decision=\"error\",profile=\"broken\","
            + "tenant=\"platform\"} [1-9]");
  }

  @Test
  void decisionsAreCountedByProfileAndDecision() throws Exception {
    enrollWorkload("kube-system", "counted", Map.of(), null);

    String metrics = server.getPlain("/metrics").body();

    assertThat(metrics).containsPattern("enroll_policy_decisions_total\\{decision=\"deny\","
        + "profile=\"k8s\",tenant=\"platform\"} [1-9]");
    assertThat(metrics).contains("enroll_policy_decisions_total{decision=\"approval\","
        + "profile=\"gated\",tenant=\"platform\"}");
  }

  @Test
  void policyCanRouteOneSubjectToApproval() throws Exception {
    HttpResponse<String> response = enrollWorkload("team-a", "billing",
        Map.of("tier", "prod"), null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(TestServer.json(response).get("status").asText())
        .isEqualTo("awaiting_approval");
  }

  @Test
  void approvalRoundTripNeedsASecondAdminAndDeliversTheCertificate() throws Exception {
    String token = server.token("platform", "gated", 1);
    HttpResponse<String> accepted = server.enroll(deviceBody("gated", "gated-1", token));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.headers().firstValue("Retry-After")).isPresent();
    String location = accepted.headers().firstValue("Location").orElseThrow();
    String id = TestServer.json(accepted).get("id").asText();

    HttpResponse<String> waiting = poll(location);
    assertThat(waiting.statusCode()).isEqualTo(202);
    assertThat(TestServer.json(waiting).get("status").asText()).isEqualTo("awaiting_approval");
    JsonNode listed = TestServer.json(server.getAdmin("/v1/approvals?tenant=platform"));
    assertThat(listed.get("approvals").findValuesAsText("id")).contains(id);

    HttpResponse<String> self = server.postAdmin("/v1/approvals/" + id + "/approve", "{}");
    assertThat(self.statusCode()).as(self.body()).isEqualTo(403);
    assertThat(TestServer.json(self).get("type").asText())
        .isEqualTo("urn:enroll:problem:approver-not-allowed");

    String approver = secondAdmin("approver");
    HttpResponse<String> approved = post(approver, "/v1/approvals/" + id + "/approve",
        "{\"reason\":\"known device\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    assertThat(TestServer.json(approved).get("state").asText()).isEqualTo("approved");

    await().atMost(Duration.ofSeconds(15)).until(() -> poll(location).statusCode() == 200);
    JsonNode done = TestServer.json(poll(location));
    assertThat(done.get("status").asText()).isEqualTo("completed");
    Path cert = directory.resolve("approved-" + id + ".pem");
    Files.writeString(cert, done.get("credentials").get(0).get("certificate").asText());
    Path roots = directory.resolve("roots-" + id + ".pem");
    Files.writeString(roots, server.rootsPem() + done.get("credentials").get(0)
        .get("chain").asText());
    assertThat(Openssl.run(directory, "verify", "-CAfile", roots.toString(),
        cert.toString()).output()).contains(": OK");
    assertThat(server.auditText()).contains("approval.approved");
    HttpResponse<String> again = post(approver, "/v1/approvals/" + id + "/deny", "{}");
    assertThat(TestServer.json(again).get("type").asText())
        .isEqualTo("urn:enroll:problem:approval-not-pending");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(server.getPlain("/metrics").body()).containsPattern(
            "enroll_enrollment_duration_seconds_count\\{path=\"approval\",profile=\"gated\","
                + "tenant=\"platform\"} [1-9]"));
  }

  @Test
  void deniedEnrollmentAnswersItsProblemAtItsLocation() throws Exception {
    String token = server.token("platform", "gated", 1);
    HttpResponse<String> accepted = server.enroll(deviceBody("gated", "gated-2", token));
    String location = accepted.headers().firstValue("Location").orElseThrow();
    String id = TestServer.json(accepted).get("id").asText();

    HttpResponse<String> denied = post(secondAdmin("admin"), "/v1/approvals/" + id + "/deny",
        "{\"reason\":\"not in the inventory\"}");

    assertThat(denied.statusCode()).as(denied.body()).isEqualTo(200);
    HttpResponse<String> polled = poll(location);
    assertThat(polled.statusCode()).isEqualTo(403);
    JsonNode problem = TestServer.json(polled);
    assertThat(problem.get("type").asText()).isEqualTo("urn:enroll:problem:enrollment-denied");
    assertThat(problem.get("detail").asText()).contains("not in the inventory");
    HttpResponse<String> again = server.enroll(deviceBody("gated", "gated-2",
        server.token("platform", "gated", 1)));
    assertThat(again.statusCode()).as("a denied subject may ask again: " + again.body())
        .isEqualTo(202);
  }

  @Test
  void undecidedEnrollmentExpires() throws Exception {
    String token = server.token("platform", "hurried", 1);
    HttpResponse<String> accepted = server.enroll(deviceBody("hurried", "hurried-1", token));
    String location = accepted.headers().firstValue("Location").orElseThrow();

    await().atMost(Duration.ofSeconds(10)).until(() -> poll(location).statusCode() == 410);

    assertThat(TestServer.json(poll(location)).get("type").asText())
        .isEqualTo("urn:enroll:problem:approval-expired");
    // The poll answers 410 from the expiry itself; the sweep records it soon after.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(server.auditText()).contains("approval.expired"));
    assertThat(server.getPlain("/metrics").body())
        .contains("enroll_queue_depth{queue=\"approval\"}");
  }

  @Test
  void operatorKeyCannotDecide() throws Exception {
    String token = server.token("platform", "gated", 1);
    String id = TestServer.json(server.enroll(deviceBody("gated", "gated-3", token)))
        .get("id").asText();

    HttpResponse<String> response = post(secondAdmin("operator"),
        "/v1/approvals/" + id + "/approve", "{}");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(TestServer.json(response).get("type").asText())
        .isEqualTo("urn:enroll:problem:forbidden");
  }

  @Test
  void policyNamesAreCheckedLikeRequestedOnes() throws Exception {
    ObjectNode good = (ObjectNode) JSON.readTree(deviceBody("named", "named-1",
        server.token("platform", "named", 1)));
    ((ObjectNode) good.get("subject")).putObject("attributes").put("host", "named-1.example");
    ObjectNode bad = (ObjectNode) JSON.readTree(deviceBody("named", "named-2",
        server.token("platform", "named", 1)));
    ((ObjectNode) bad.get("subject")).putObject("attributes").put("host", "a..b");

    HttpResponse<String> issued = server.enroll(good.toString());
    HttpResponse<String> refused = server.enroll(bad.toString());

    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    assertThat(certificate(TestServer.json(issued).get("credentials").get(0))
        .getSubjectAlternativeNames().iterator().next().get(1)).isEqualTo("named-1.example");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(TestServer.json(refused).get("type").asText())
        .isEqualTo("urn:enroll:problem:policy-evaluation-failed");
  }

  // --- helpers ---

  private static HttpResponse<String> enrollWorkload(String namespace, String account,
      Map<String, String> attributes, String csr) throws Exception {
    String externalId = "system:serviceaccount:" + namespace + ":" + account;
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer.issuer())
        .subject(externalId).audience("enroll").jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
        .claim("kubernetes.io", Map.of("namespace", namespace,
            "serviceaccount", Map.of("name", account)))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1")
        .build(), claims);
    jwt.sign(new ECDSASigner(key));
    ObjectNode body = JSON.createObjectNode().put("tenant", "platform").put("profile", "k8s");
    ObjectNode subject = body.putObject("subject").put("kind", "workload")
        .put("externalId", externalId);
    ObjectNode attrs = subject.putObject("attributes");
    attributes.forEach(attrs::put);
    body.putObject("attestation").put("type", "jwt").put("token", jwt.serialize());
    body.put("csr", csr != null ? csr : emptySubjectCsr());
    return server.enroll(body.toString());
  }

  private static String emptySubjectCsr() {
    return Openssl.p256(directory, "w-" + UUID.randomUUID(), "/", null);
  }

  private static String deviceBody(String profile, String externalId, String token) {
    try {
      ObjectNode body = (ObjectNode) JSON.readTree(TestServer.enrollment(profile, externalId,
          token, Csrs.p256(externalId)));
      return body.put("tenant", "platform").toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static X509Certificate certificate(JsonNode credential) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(credential.get("certificate").asText()
            .getBytes(StandardCharsets.UTF_8)));
  }

  private static String secondAdmin(String role) {
    HttpResponse<String> created = server.postAdmin("/v1/admin-keys",
        "{\"name\":\"second " + role + "\",\"role\":\"" + role + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return TestServer.json(created).get("key").asText();
  }

  private static HttpResponse<String> post(String adminKey, String path, String body) {
    return server.send(HttpRequest.newBuilder(server.api(path))
        .header("Authorization", "Bearer " + adminKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static HttpResponse<String> poll(String location) {
    return server.send(HttpRequest.newBuilder(server.api(location)).GET().build());
  }
}
