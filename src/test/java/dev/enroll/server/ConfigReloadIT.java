package dev.enroll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.enroll.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles reload from a changed file without a restart; a broken file changes nothing. */
class ConfigReloadIT {
  @TempDir Path directory;

  private static final String NEW_PROFILE = """
      tenants:
        default:
          profiles:
            devices:
              subjectKinds: [device]
              attestation: [token]
            sensors:
              subjectKinds: [device]
              attestation: [token]
      """;

  @Test
  void aValidChangeIsAppliedAndABrokenOneIsRefusedKeepingTheOld() throws Exception {
    try (TestServer server = TestServer.start(directory)) {
      Path config = directory.resolve("enroll.yaml");
      String original = Files.readString(config);
      assertThat(server.postAdmin("/v1/tokens", "{\"profile\":\"sensors\"}").statusCode())
          .isEqualTo(404);

      String changed = original.substring(0, original.indexOf("tenants:")) + NEW_PROFILE;
      Files.writeString(config, changed);

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          server.postAdmin("/v1/tokens", "{\"profile\":\"sensors\"}").statusCode())
          .isEqualTo(201));
      assertThat(server.postAdmin("/v1/tokens", "{\"profile\":\"ecdsa-only\"}").statusCode())
          .as("a profile the new file dropped").isEqualTo(404);
      assertThat(server.scalar("select count(*) from audit_event where action ="
          + " 'config.reloaded'")).isEqualTo(1);

      Files.writeString(config, "tenants:\n  default:\n    profiles:\n      bad:\n"
          + "        certificate:\n          validity: forever\n", StandardOpenOption.APPEND);
      await().atMost(Duration.ofSeconds(10)).until(() -> server.scalar("select count(*) from"
          + " audit_event where action = 'config.refused'") == 1);
      assertThat(server.postAdmin("/v1/tokens", "{\"profile\":\"sensors\"}").statusCode())
          .as("the last good configuration stays").isEqualTo(201);
      assertThat(server.scalarText("select details from audit_event where action ="
          + " 'config.refused'")).contains("validity");
    }
  }

  @Test
  void policyReloadsAndAPolicyThatDoesNotCompileIsRefused() throws Exception {
    Path home = Files.createDirectories(directory.resolve("policy"));
    try (TestServer server = TestServer.start(home)) {
      Path config = home.resolve("enroll.yaml");
      String original = Files.readString(config);
      String head = original.substring(0, original.indexOf("tenants:"));
      String policed = head + NEW_PROFILE + "        policy:\n          rules:\n"
          + "            - deny: subject.externalId.startsWith('blocked-')\n"
          + "              reason: blocked devices do not enroll\n";
      Files.writeString(config, policed);
      await().atMost(Duration.ofSeconds(10)).until(() ->
          server.postAdmin("/v1/tokens", "{\"profile\":\"sensors\"}").statusCode() == 201);

      assertThat(policyType(server, "blocked-1")).isEqualTo("policy-denied");

      Files.writeString(config, policed.replace("startsWith('blocked-')", "startsWith("));
      await().atMost(Duration.ofSeconds(10)).until(() -> server.scalar("select count(*) from"
          + " audit_event where action = 'config.refused'") == 1);
      assertThat(server.scalarText("select details from audit_event where action ="
          + " 'config.refused'")).contains("policy.rules[0].deny: does not compile at line 1");
      assertThat(policyType(server, "blocked-2")).as("the last good policy stays")
          .isEqualTo("policy-denied");
    }
  }

  private static String policyType(TestServer server, String externalId) {
    String token = server.token("sensors");
    return TestServer.json(server.enroll(TestServer.enrollment("sensors", externalId, token,
        dev.enroll.testing.Csrs.p256(externalId)))).path("type").asText()
        .replace("urn:enroll:problem:", "");
  }
}
