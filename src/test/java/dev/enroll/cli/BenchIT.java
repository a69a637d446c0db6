package dev.enroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The load generator enrolls every CSR it made and reports what it measured. */
class BenchIT {
  @Test
  void benchEnrollsDistinctDevicesAndPrintsThroughputAndLatency(@TempDir Path directory) {
    try (TestServer server = TestServer.start(directory)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream original = System.out;
      int exit;
      try {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        exit = new CommandLine(new Main()).execute("bench",
            "--server", "https://localhost:" + server.server().httpsPort(),
            "--data", server.data().toString(), "--count", "60", "--warmup", "10",
            "--concurrency", "4");
      } finally {
        System.setOut(original);
      }

      String report = out.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(report).isZero();
      assertThat(report).contains("enrollments: 60 ok, 0 failed")
          .containsPattern("throughput: \\d+ enrollments/s at concurrency 4")
          .containsPattern("latency ms: p50 [\\d.]+  p99 [\\d.]+  p99.9 [\\d.]+");
      assertThat(server.scalar("select count(*) from credential")).isEqualTo(70);
      assertThat(server.scalar("select count(distinct subject_id) from credential"))
          .isEqualTo(70);
    }
  }
}
