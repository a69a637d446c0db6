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
}
