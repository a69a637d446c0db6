package dev.enroll.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.testing.MutableClock;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal over mutual TLS, driven by the real curl presenting the device's certificate, on a
 * server whose clock the test moves.
 */
class RenewalIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path directory;
  static MutableClock clock = new MutableClock();
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(directory, clock);
    Files.writeString(directory.resolve("roots.pem"), server.rootsPem());
    Files.writeString(directory.resolve("issuing.pem"), server.getPlain("/ca/chain.pem").body());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** What curl got back. */
  record Answer(int status, JsonNode body) {
    String type() {
      return body.path("type").asText();
    }

    String serial() {
      return body.at("/credentials/0/serial").asText();
    }
  }

  /** Enrolls NAME with the profile; writes NAME.pem and keeps NAME.key. */
  static JsonNode enroll(String profile, String name) throws Exception {
    String csr = Openssl.p256(directory, name, "/CN=" + name,
        "DNS:" + name + ".devices.example.internal");
    var response = server.enroll(TestServer.enrollment(profile, name,
        server.token(profile), csr));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode body = TestServer.json(response);
    Files.writeString(directory.resolve(name + ".pem"),
        body.at("/credentials/0/certificate").asText());
    return body;
  }

  /** POSTs a renewal with curl, presenting CERT.pem and CERT.key, asking with CSR.csr. */
  static Answer renew(String cert, String csr) throws Exception {
    Path body = directory.resolve(csr + "-body.json");
    Files.writeString(body, JSON.writeValueAsString(Map.of("csr",
        Files.readString(directory.resolve(csr + ".csr")))));
    List<String> command = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}",
        "--cacert", "roots.pem", "-H", "Content-Type: application/json",
        "--data-binary", "@" + body.getFileName()));
    if (cert != null) {
      command.addAll(List.of("--cert", cert + ".pem", "--key", cert + ".key"));
    }
    command.add(server.api("/v1/renewals").toString());
    Openssl.Outcome outcome = Openssl.exec(directory, command);
    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    String out = outcome.output();
    int cut = out.lastIndexOf('\n');
    return new Answer(Integer.parseInt(out.substring(cut + 1).trim()),
        JSON.readTree(out.substring(0, cut)));
  }

  /** OCSP through openssl, which runs on the real clock: it accepts our two days ahead. */
  static String ocsp(String name) {
    return RevocationIT.ocspOf(server, directory, name, "-validity_period", "200000");
  }

  static void save(Answer answer, String name) throws Exception {
    Files.writeString(directory.resolve(name + ".pem"),
        answer.body().at("/credentials/0/certificate").asText());
  }

  static String status(String serial) {
    return serial == null ? null : server.scalarText("select status from credential where"
        + " serial = '" + serial + "'");
  }

  @Test
  void renewalInsideTheWindowIssuesTheSameIdentityAndSupersedesTheOld() throws Exception {
    JsonNode first = enroll("devices", "renew-1");
    String oldSerial = first.at("/credentials/0/serial").asText();
    Openssl.p256(directory, "renew-1b", "/CN=renew-1", null);

    Answer early = renew("renew-1", "renew-1b");
    assertThat(early.status()).as(early.body().toString()).isEqualTo(409);
    assertThat(early.type()).isEqualTo("urn:enroll:problem:renewal-too-early");
    assertThat(early.body().get("renewableFrom").asText()).isNotBlank();

    clock.advance(Duration.ofHours(13));
    try {
      Answer renewed = renew("renew-1", "renew-1b");
      assertThat(renewed.status()).as(renewed.body().toString()).isEqualTo(201);
      save(renewed, "renew-1b");
      assertThat(renewed.serial()).isNotEqualTo(oldSerial);
      Openssl.Outcome verify = Openssl.run(directory, "verify", "-attime",
          Long.toString(clock.instant().getEpochSecond()), "-CAfile", "roots.pem",
          "-untrusted", "issuing.pem", "renew-1b.pem");
      assertThat(verify.output()).contains("renew-1b.pem: OK");
      String text = Openssl.run(directory, "x509", "-in", "renew-1b.pem", "-noout", "-text")
          .output();
      assertThat(text).contains("Subject: CN = renew-1")
          .contains("DNS:renew-1.devices.example.internal");

      assertThat(status(oldSerial)).isEqualTo("superseded");
      assertThat(server.scalarText("select c.replaces from credential c where c.serial = '"
          + renewed.serial() + "'")).isEqualTo(server.scalarText(
              "select id from credential where serial = '" + oldSerial + "'"));
      assertThat(server.scalar("select count(*) from audit_event where action ="
          + " 'credential.renewed' and target = 'credential:" + renewed.serial() + "'"))
          .isEqualTo(1);
      assertThat(ocsp("renew-1")).contains("renew-1.pem: good");

      // A retry after a lost answer, same key: the same certificate. Another key: refused.
      Answer retried = renew("renew-1", "renew-1b");
      assertThat(retried.status()).isEqualTo(201);
      assertThat(retried.serial()).isEqualTo(renewed.serial());
      Files.copy(directory.resolve("renew-1b.key"), directory.resolve("renew-1d.key"));
      Openssl.run(directory, "req", "-new", "-key", "renew-1d.key", "-subj", "/CN=renew-1",
          "-addext", "subjectAltName=DNS:other.devices.example.internal", "-out",
          "renew-1d.csr");
      assertThat(renew("renew-1", "renew-1d").type())
          .isEqualTo("urn:enroll:problem:renewal-names-changed");
      Openssl.p256(directory, "renew-1c", "/CN=renew-1", null);
      Answer forked = renew("renew-1", "renew-1c");
      assertThat(forked.status()).isEqualTo(409);
      assertThat(forked.type()).isEqualTo("urn:enroll:problem:credential-superseded");
      assertThat(server.getPlain("/metrics").body())
          .containsPattern("enroll_renewals_total\\{[^}]*outcome=\"issued\"[^}]*\\} [1-9]")
          .contains("path=\"renewal\"");
    } finally {
      clock.advance(Duration.ofHours(-13));
    }
  }

  @Test
  void expiredCertificateRenewsOnlyInsideTheProfilesGracePeriod() throws Exception {
    enroll("devices", "late-1");
    JsonNode lenient = enroll("lenient-renewal", "late-2");
    Openssl.p256(directory, "late-1b", "/CN=late-1", null);
    Openssl.p256(directory, "late-2b", "/CN=late-2", null);

    clock.advance(Duration.ofHours(25));
    try {
      Answer refused = renew("late-1", "late-1b");
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.type()).isEqualTo("urn:enroll:problem:renewal-expired");

      Answer graced = renew("late-2", "late-2b");
      assertThat(graced.status()).as(graced.body().toString()).isEqualTo(201);
      save(graced, "late-2b");
      // The old certificate is revoked now, yet a retry of the same request is answered.
      Answer retried = renew("late-2", "late-2b");
      assertThat(retried.status()).as(retried.body().toString()).isEqualTo(201);
      assertThat(retried.serial()).isEqualTo(graced.serial());
      // That profile revokes the replaced certificate: relying parties see it at once.
      assertThat(ocsp("late-2")).contains("late-2.pem: revoked")
          .contains("Reason: superseded");
      assertThat(status(lenient.at("/credentials/0/serial").asText())).isEqualTo("revoked");
    } finally {
      clock.advance(Duration.ofHours(-25));
    }
    // The renewed certificate ends 49 h from now; a day of grace later it cannot renew.
    clock.advance(Duration.ofHours(75));
    try {
      Answer pastGrace = renew("late-2b", "late-2b");
      assertThat(pastGrace.status()).isEqualTo(403);
      assertThat(pastGrace.type()).isEqualTo("urn:enroll:problem:renewal-expired");
    } finally {
      clock.advance(Duration.ofHours(-75));
    }
  }

  @Test
  void withoutOrWithAForeignClientCertificateRenewalIsRefused() throws Exception {
    Openssl.p256(directory, "nobody", "/CN=nobody", null);
    Answer none = renew(null, "nobody");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.type()).isEqualTo("urn:enroll:problem:client-certificate-required");

    Openssl.run(directory, "req", "-x509", "-new", "-key", "nobody.key", "-subj",
        "/CN=nobody", "-days", "1", "-out", "nobody.pem");
    Answer foreign = renew("nobody", "nobody");
    assertThat(foreign.status()).isEqualTo(401);
    assertThat(foreign.type()).isEqualTo("urn:enroll:problem:client-certificate-invalid");
    assertThat(server.scalar("select count(*) from audit_event where action ="
        + " 'renewal.refused' and reason = 'client-certificate-invalid'")).isPositive();
  }

  @Test
  void quarantinedRevokedAndOffboardedSubjectsCannotRenew() throws Exception {
    String held = enroll("devices", "state-1").at("/subject/id").asText();
    String revoked = enroll("devices", "state-2").at("/subject/id").asText();
    String gone = enroll("devices", "state-3").at("/subject/id").asText();
    server.postAdmin("/v1/subjects/" + held + "/quarantine", "");
    server.postAdmin("/v1/subjects/" + revoked + "/revoke", "");
    server.postAdmin("/v1/subjects/" + gone + "/offboard", "");
    for (String n : List.of("1", "2", "3")) {
      Openssl.p256(directory, "state-" + n + "b", "/CN=state-" + n, null);
    }

    clock.advance(Duration.ofHours(13));
    try {
      assertThat(renew("state-1", "state-1b").type())
          .isEqualTo("urn:enroll:problem:subject-quarantined");
      assertThat(renew("state-2", "state-2b").type())
          .isEqualTo("urn:enroll:problem:subject-revoked");
      assertThat(renew("state-3", "state-3b").type())
          .isEqualTo("urn:enroll:problem:subject-offboarded");
      server.postAdmin("/v1/subjects/" + held + "/reinstate", "");
      assertThat(renew("state-1", "state-1b").status()).isEqualTo(201);
    } finally {
      clock.advance(Duration.ofHours(-13));
    }
  }

  @Test
  void quarantineHoldsARenewedCertificatesPredecessorTooAndReinstateRestoresIt()
      throws Exception {
    JsonNode first = enroll("devices", "held-r");
    String oldSerial = first.at("/credentials/0/serial").asText();
    String subject = first.at("/subject/id").asText();
    Openssl.p256(directory, "held-rb", "/CN=held-r", null);
    clock.advance(Duration.ofHours(13));
    try {
      Answer renewed = renew("held-r", "held-rb");
      assertThat(renewed.status()).isEqualTo(201);
      save(renewed, "held-rb");

      server.postAdmin("/v1/subjects/" + subject + "/quarantine", "");
      assertThat(ocsp("held-r")).contains("held-r.pem: revoked")
          .contains("Reason: certificateHold");
      assertThat(ocsp("held-rb")).contains("held-rb.pem: revoked");

      server.postAdmin("/v1/subjects/" + subject + "/reinstate", "");
      assertThat(status(oldSerial)).isEqualTo("superseded");
      assertThat(status(renewed.serial())).isEqualTo("active");
      assertThat(ocsp("held-r")).contains("held-r.pem: good");
    } finally {
      clock.advance(Duration.ofHours(-13));
    }
  }

  @Test
  void renewalKeepsItsNamesButACommonNameCopiedIntoADnsNameIsNoChange() throws Exception {
    enroll("devices", "names-1");
    Openssl.p256(directory, "names-drift", "/CN=names-1", "DNS:other.devices.example.internal");
    Openssl.p256(directory, "names-copied", "/CN=names-1",
        "DNS:names-1,DNS:names-1.devices.example.internal");
    Openssl.p256(directory, "names-cn", "/CN=someone-else", null);

    clock.advance(Duration.ofHours(13));
    try {
      Answer drift = renew("names-1", "names-drift");
      assertThat(drift.status()).isEqualTo(403);
      assertThat(drift.type()).isEqualTo("urn:enroll:problem:renewal-names-changed");
      assertThat(drift.body().get("name").asText()).isEqualTo("other.devices.example.internal");
      assertThat(renew("names-1", "names-cn").type())
          .isEqualTo("urn:enroll:problem:renewal-names-changed");

      Answer copied = renew("names-1", "names-copied");
      assertThat(copied.status()).as(copied.body().toString()).isEqualTo(201);
      save(copied, "names-copied");
      assertThat(Openssl.run(directory, "x509", "-in", "names-copied.pem", "-noout", "-ext",
          "subjectAltName").output()).contains("DNS:names-1.devices.example.internal")
          .doesNotContain("DNS:names-1,");
    } finally {
      clock.advance(Duration.ofHours(-13));
    }
  }

  @Test
  void aProfileThatAllowsNameChangesStillChecksItsPatterns() throws Exception {
    enroll("lenient-renewal", "moving-1");
    Openssl.p256(directory, "moving-ok", "/CN=moving-1", "DNS:moving-1.new.example.internal");
    Openssl.p256(directory, "moving-bad", "/CN=moving-1", "DNS:evil.example.com");

    clock.advance(Duration.ofHours(19));
    try {
      Answer bad = renew("moving-1", "moving-bad");
      assertThat(bad.status()).isEqualTo(403);
      assertThat(bad.type()).isEqualTo("urn:enroll:problem:name-not-allowed");
      Answer ok = renew("moving-1", "moving-ok");
      assertThat(ok.status()).as(ok.body().toString()).isEqualTo(201);
      save(ok, "moving-ok");
      assertThat(Openssl.run(directory, "x509", "-in", "moving-ok.pem", "-noout", "-ext",
          "subjectAltName").output()).contains("DNS:moving-1.new.example.internal");
    } finally {
      clock.advance(Duration.ofHours(-19));
    }
  }

  @Test
  void keyCompromiseRevokesTheRenewalsThatKeptTheKey() throws Exception {
    JsonNode first = enroll("devices", "kept-1");
    clock.advance(Duration.ofHours(13));
    Answer renewed;
    try {
      renewed = renew("kept-1", "kept-1");
      assertThat(renewed.status()).as(renewed.body().toString()).isEqualTo(201);
    } finally {
      clock.advance(Duration.ofHours(-13));
    }
    String firstSerial = first.at("/credentials/0/serial").asText();
    var revoked = server.postAdmin("/v1/credentials/" + firstSerial + "/revoke",
        "{\"reason\":\"keyCompromise\"}");
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(status(firstSerial)).isEqualTo("revoked");
    assertThat(status(renewed.serial())).isEqualTo("revoked");
  }

  @Test
  void concurrentRevokeAndRenewNeverLeaveAnActiveCredentialOnARevokedSubject()
      throws Exception {
    int subjects = 10;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < subjects; i++) {
      ids.add(enroll("devices", "race-" + i).at("/subject/id").asText());
      Openssl.p256(directory, "race-" + i + "b", "/CN=race-" + i, null);
    }
    clock.advance(Duration.ofHours(13));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < subjects; i++) {
        int n = i;
        work.add(pool.submit(() -> renew("race-" + n, "race-" + n + "b")));
        work.add(pool.submit(() -> server.postAdmin("/v1/subjects/" + ids.get(n)
            + "/revoke", "{}")));
      }
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdown();
      clock.advance(Duration.ofHours(-13));
    }
    assertThat(server.scalar("select count(*) from subject where external_id like 'race-%'"
        + " and state = 'revoked'")).isEqualTo(subjects);
    assertThat(server.scalar("select count(*) from credential c join subject s on"
        + " c.subject_id = s.id where s.external_id like 'race-%' and c.status = 'active'"))
        .isZero();
  }
}
