package dev.enroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.testing.Openssl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code enroll policy test} as an operator runs it: the packaged jar, the sample
 * configuration and the shipped case file, a failing case file, and a broken policy.
 */
class PolicyCommandIT {
  @TempDir static Path directory;
  static Path sample;

  @BeforeAll
  static void writeSample() throws IOException {
    sample = directory.resolve("sample.yaml");
    try (InputStream in = PolicyCommandIT.class.getResourceAsStream("/enroll.sample.yaml")) {
      Files.write(sample, in.readAllBytes());
    }
  }

  @Test
  void shippedCasesPassAgainstTheSample() {
    Openssl.Outcome outcome = cli("policy", "test", "--config", sample.toString(),
        Path.of("docs", "examples", "policy-cases.yaml").toAbsolutePath().toString());

    assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(0);
    assertThat(outcome.output()).contains("PASS system namespaces are refused")
        .contains("6 cases: 6 passed, 0 failed");
  }

  @Test
  void mismatchExitsNonZeroAndPrintsTheDifference() throws IOException {
    Path cases = directory.resolve("failing.yaml");
    Files.writeString(cases, String.join("\n",
        "cases:",
        "  - name: expects too much",
        "    profile: kubernetes-workloads",
        "    claims: {namespace: payments, serviceAccount: api}",
        "    expect: {decision: allow, roles: [admin], validity: 2h}",
        "  - name: right",
        "    profile: kubernetes-workloads",
        "    claims: {namespace: kube-system, serviceAccount: x}",
        "    expect: {decision: deny}",
        ""));

    Openssl.Outcome outcome = cli("policy", "test", "--config", sample.toString(),
        cases.toString());

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.output()).contains("FAIL expects too much")
        .contains("roles: expected [admin], got [workload]")
        .contains("validity: expected PT2H, got PT1H")
        .contains("PASS right")
        .contains("2 cases: 1 passed, 1 failed");
  }

  @Test
  void policyThatDoesNotCompileIsReportedWithItsPosition() throws IOException {
    Path broken = directory.resolve("broken.yaml");
    Files.writeString(broken, Files.readString(sample).replace(
        "roles: \"['workload'] +", "roles: \"['workload'] ++"));
    Path cases = directory.resolve("any.yaml");
    Files.writeString(cases, "cases: []\n");

    Openssl.Outcome outcome = cli("policy", "test", "--config", broken.toString(),
        cases.toString());

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.output()).contains(
        "tenants.default.profiles.kubernetes-workloads.policy.roles: does not compile at"
            + " line 1, column");
  }

  private static Openssl.Outcome cli(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "enroll.jar").toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return Openssl.exec(directory, command);
  }
}
