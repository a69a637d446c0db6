package dev.enroll.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules and dashboards Enroll ships: Prometheus' own promtool checks the rules
 * and runs their unit tests, and every metric they query is one the service exports.
 */
class DeployArtifactsIT {
  private static final Path PROMETHEUS = Path.of("deploy", "prometheus");
  private static final Path GRAFANA = Path.of("deploy", "grafana");
  private static final Pattern METRIC = Pattern.compile("\\b((?:enroll|jvm)_[a-z0-9_]+)");

  @TempDir Path directory;

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws IOException {
    List<String> rules = yaml(false);
    List<String> tests = yaml(true);
    assertThat(rules).isNotEmpty();
    assertThat(tests).isNotEmpty();

    List<String> check = new ArrayList<>(List.of("promtool", "check", "rules"));
    check.addAll(rules);
    Openssl.Outcome checked = Openssl.exec(PROMETHEUS, check);
    assertThat(checked.exitCode()).as(checked.output()).isZero();
    assertThat(checked.output()).contains("SUCCESS");

    List<String> test = new ArrayList<>(List.of("promtool", "test", "rules"));
    test.addAll(tests);
    Openssl.Outcome tested = Openssl.exec(PROMETHEUS, test);
    assertThat(tested.exitCode()).as(tested.output()).isZero();
    assertThat(tested.output()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void everyMetricTheRulesAndDashboardsQueryIsExported() throws Exception {
    Set<String> queried = new TreeSet<>();
    for (String file : yaml(false)) {
      queried.addAll(metrics(Files.readString(PROMETHEUS.resolve(file))));
    }
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> dashboards = Files.list(GRAFANA)) {
      for (Path dashboard : dashboards.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode root = json.readTree(dashboard.toFile());
        assertThat(root.get("panels")).as(dashboard.toString()).isNotEmpty();
        for (String expr : root.findValuesAsText("expr")) {
          queried.addAll(metrics(expr));
        }
      }
    }
    assertThat(queried).contains("enroll_enrollments_total",
        "enroll_revocation_propagation_seconds_bucket", "enroll_queue_depth");

    try (TestServer server = TestServer.start(directory)) {
      String csr = Openssl.p256(directory, "scraped", "/CN=scraped", null);
      JsonNode enrolled = TestServer.json(server.enroll(TestServer.enrollment("devices",
          "scraped", server.token("devices"), csr)));
      server.postAdmin("/v1/credentials/" + enrolled.at("/credentials/0/serial").asText()
          + "/revoke", "{}");
      server.postAdmin("/v1/tokens", "{\"profile\":\"devices\"}");
      server.post("/v1/tokens", "{}");
      Set<String> exported = server.getPlain("/metrics").body().lines()
          .filter(line -> !line.startsWith("#") && !line.isBlank())
          .map(line -> line.split("[{ ]", 2)[0])
          .collect(Collectors.toSet());

      assertThat(queried).allSatisfy(name -> assertThat(exported)
          .as("metric %s that a rule or dashboard queries", name).contains(name));
    }
  }

  private static List<String> yaml(boolean tests) throws IOException {
    try (Stream<Path> files = Files.list(PROMETHEUS)) {
      return files.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".yml") && name.contains("test") == tests)
          .sorted().toList();
    }
  }

  private static Set<String> metrics(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
