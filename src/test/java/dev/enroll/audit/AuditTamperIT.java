package dev.enroll.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.cli.Main;
import dev.enroll.store.jdbc.JdbcStore;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Tampering done with plain SQL on the real database file behind the service's back, each
 * found by {@code enroll audit verify}, which names the first bad event.
 */
class AuditTamperIT {
  @TempDir static Path directory;
  static Path baseline;
  static String lastCheckpoint;

  @BeforeAll
  static void enrollSomeDevicesThenStop() throws Exception {
    try (TestServer server = TestServer.start(
        Files.createDirectories(directory.resolve("server")))) {
      for (int i = 0; i < 6; i++) {
        String id = "audited-" + i;
        String csr = Openssl.p256(directory, id, "/CN=" + id, null);
        assertThat(server.enroll(TestServer.enrollment("devices", id, server.token("devices"),
            csr)).statusCode()).isEqualTo(201);
      }
      baseline = server.data();
    }
    try (Connection c = open(baseline);
        ResultSet rs = c.createStatement().executeQuery("select seq, head_hash,"
            + " checkpoint_time, key_id, signature from audit_checkpoint order by seq desc"
            + " limit 1")) {
      rs.next();
      lastCheckpoint = AuditJson.line(new Checkpoint(rs.getLong(1), rs.getString(2),
          rs.getObject(3, java.time.OffsetDateTime.class).toInstant(), rs.getString(4),
          rs.getString(5)));
    }
  }

  @Test
  void untouchedChainVerifies() throws Exception {
    Result result = verify(copy("untouched"));
    assertThat(result.exit()).as(result.text()).isZero();
    assertThat(result.text()).contains("audit chain intact").contains("signed checkpoints");
  }

  @Test
  void changedFieldIsFound() throws Exception {
    Path data = copy("changed");
    sql(data, "update audit_event set target = 'credential:00' where seq = 7");
    assertBroken(verify(data), 7, "does not match its hash");
  }

  @Test
  void deletedEventIsFound() throws Exception {
    Path data = copy("deleted");
    sql(data, "delete from audit_event where seq = 8");
    assertBroken(verify(data), 8, "missing");
  }

  @Test
  void swappedEventsAreFound() throws Exception {
    Path data = copy("swapped");
    sql(data, "update audit_event set seq = -9 where seq = 9",
        "update audit_event set seq = 9 where seq = 10",
        "update audit_event set seq = 10 where seq = -9");
    assertBroken(verify(data), 9, "does not link");
  }

  @Test
  void insertedEventIsFound() throws Exception {
    Path data = copy("inserted");
    sql(data, "update audit_event set seq = seq + 1000 where seq > 4",
        "update audit_event set seq = seq - 999 where seq > 1000",
        "insert into audit_event (event_time, tenant, actor, action, target, outcome, details,"
            + " seq, prev_hash, hash) select event_time, tenant, actor, 'token.created',"
            + " 'token:forged', outcome, '{}', 5, hash, hash from audit_event where seq = 4");
    assertBroken(verify(data), 5, "does not match its hash");
  }

  @Test
  void forgedCheckpointIsFound() throws Exception {
    Path data = copy("forged");
    long first;
    try (Connection c = open(data); ResultSet rs = c.createStatement()
        .executeQuery("select min(seq) from audit_checkpoint")) {
      rs.next();
      first = rs.getLong(1);
    }
    sql(data, "update audit_checkpoint set head_hash = '" + "ab".repeat(32) + "'"
        + " where seq = " + first);
    assertBroken(verify(data), first, "no valid signature");
  }

  @Test
  void truncatedTailIsFoundGivenTheLastCheckpointKeptElsewhere() throws Exception {
    Path data = copy("truncated");
    sql(data, "delete from audit_event where seq > 12",
        "delete from audit_checkpoint where seq > 10");
    Path kept = directory.resolve("kept-checkpoint.json");
    Files.writeString(kept, lastCheckpoint);

    assertThat(verify(data).exit()).as("without a copy kept elsewhere").isZero();
    Result result = verify(data, "--expect-checkpoint", kept.toString());
    assertBroken(result, 13, "cut off");
  }

  @Test
  void exportVerifiesOnItsOwnWithThePublicKey() throws Exception {
    Path data = copy("exported");
    Result export = run("audit", "export", "--data", data.toString(), "--checkpoints");
    assertThat(export.exit()).isZero();
    Path file = directory.resolve("export.jsonl");
    Files.writeString(file, export.out());
    assertThat(export.out().lines()).allSatisfy(line -> assertThat(line).startsWith("{"));

    Result result = run("audit", "verify", "--file", file.toString(), "--key",
        data.resolve("ca/audit.pub.pem").toString());
    assertThat(result.exit()).as(result.text()).isZero();

    Files.writeString(file, export.out().replaceFirst("\"action\":\"enrollment.issued\"",
        "\"action\":\"enrollment.refused\""));
    Result tampered = run("audit", "verify", "--file", file.toString(), "--key",
        data.resolve("ca/audit.pub.pem").toString());
    assertThat(tampered.exit()).isEqualTo(3);
  }

  private static void assertBroken(Result result, long seq, String problem) {
    assertThat(result.exit()).as(result.text()).isEqualTo(3);
    assertThat(result.text()).contains("BROKEN at event " + seq + ":").contains(problem);
  }

  private static Result verify(Path data, String... more) {
    String[] args = Stream.concat(Stream.of("audit", "verify", "--data", data.toString()),
        Stream.of(more)).toArray(String[]::new);
    return run(args);
  }

  record Result(int exit, String out, String err) {
    String text() {
      return out + err;
    }
  }

  static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new Main()).execute(args);
      return new Result(exit, o.toString(StandardCharsets.UTF_8),
          e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static Path copy(String name) throws IOException {
    Path target = directory.resolve(name);
    try (Stream<Path> files = Files.walk(baseline)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(baseline.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(to);
        } else {
          Files.copy(source, to);
        }
      }
    }
    return target;
  }

  private static void sql(Path data, String... statements) throws Exception {
    try (Connection c = open(data); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static Connection open(Path data) throws Exception {
    return DriverManager.getConnection(JdbcStore.embeddedUrl(data));
  }
}
