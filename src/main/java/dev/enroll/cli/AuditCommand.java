package dev.enroll.cli;

import dev.enroll.audit.AuditJson;
import dev.enroll.audit.AuditKey;
import dev.enroll.audit.AuditVerifier;
import dev.enroll.audit.ChainedEvent;
import dev.enroll.audit.Checkpoint;
import dev.enroll.store.jdbc.JdbcAuditLog;
import dev.enroll.store.jdbc.JdbcStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enroll audit}: verify the audit chain offline, or export it as JSON lines. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Verify or export the hash-chained audit log.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
public final class AuditCommand implements Runnable {
  private static final int PAGE = 5000;
  private static final int H2_DATABASE_IN_USE = 90020;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Where the chain is read from: a data directory or a database URL. */
  static final class Source {
    @Option(names = "--data", description = "Data directory of a stopped Enroll (embedded store)")
    Path data;

    @Option(names = "--db", description = "JDBC URL of the store (user and password from"
        + " ENROLL_DB_USER and ENROLL_DB_PASSWORD)")
    String url;

    Connection open() throws SQLException {
      if (url != null) {
        return DriverManager.getConnection(url, System.getenv("ENROLL_DB_USER"),
            System.getenv("ENROLL_DB_PASSWORD"));
      }
      if (!Files.exists(data.resolve("db").resolve("enroll.mv.db"))) {
        throw new SQLException("no Enroll database under " + data);
      }
      try {
        return DriverManager.getConnection(JdbcStore.embeddedUrl(data)
            + ";ACCESS_MODE_DATA=r");
      } catch (SQLException e) {
        if (e.getErrorCode() == H2_DATABASE_IN_USE) {
          throw new SQLException("the store under " + data + " is in use by a running Enroll:"
              + " stop it, or verify an export (GET /v1/audit) with --file", e);
        }
        throw e;
      }
    }
  }

  /** {@code enroll audit verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check every hash, link and checkpoint signature; exit 0 when intact.")
  static final class Verify implements Callable<Integer> {
    @ArgGroup(exclusive = true)
    Source source;

    @Option(names = "--file", description = "An export (enroll audit export --checkpoints)")
    Path file;

    @Option(names = "--key", description = "Audit public key in PEM (default: DATA/ca/"
        + "audit.pub.pem, else the keys published in the store)")
    Path key;

    @Option(names = "--expect-checkpoint",
        description = "A checkpoint kept elsewhere (JSON); the chain must still reach it")
    Path expected;

    @Override
    public Integer call() throws Exception {
      if (file == null && source == null) {
        throw new IllegalArgumentException("give --data, --db or --file");
      }
      Checkpoint expect = expected == null ? null
          : AuditJson.checkpoint(Files.readString(expected));
      AuditVerifier.Outcome outcome;
      if (file != null) {
        List<ChainedEvent> events = new ArrayList<>();
        List<Checkpoint> checkpoints = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isBlank()) {
              continue;
            }
            Object parsed = AuditJson.parse(line);
            if (parsed instanceof Checkpoint) {
              checkpoints.add((Checkpoint) parsed);
            } else {
              events.add((ChainedEvent) parsed);
            }
          }
        }
        List<PublicKey> keys = keys(null);
        outcome = new AuditVerifier(keys).verify(events.iterator(), checkpoints, expect);
      } else {
        try (Connection connection = source.open()) {
          JdbcAuditLog log = new JdbcAuditLog(connection);
          List<Checkpoint> checkpoints = new ArrayList<>();
          for (List<Checkpoint> page = log.checkpoints(0, PAGE); !page.isEmpty();
              page = log.checkpoints(page.get(page.size() - 1).seq(), PAGE)) {
            checkpoints.addAll(page);
          }
          outcome = new AuditVerifier(keys(log)).verify(new Paged(log), checkpoints, expect);
          long waiting = log.unchainedCount();
          if (waiting > 0) {
            System.out.println("note: " + waiting + " committed events are not chained yet;"
                + " the server chains them when it runs");
          }
        }
      }
      return report(outcome, System.out);
    }

    private List<PublicKey> keys(JdbcAuditLog log) throws IOException {
      List<PublicKey> keys = new ArrayList<>();
      if (key != null) {
        keys.add(AuditKey.parsePublicKey(Files.readString(key)));
        return keys;
      }
      if (source != null && source.data != null) {
        Path published = source.data.resolve("ca").resolve("audit.pub.pem");
        if (Files.exists(published)) {
          keys.add(AuditKey.parsePublicKey(Files.readString(published)));
          return keys;
        }
      }
      if (log != null) {
        log.publishedKeys().forEach(pem -> keys.add(AuditKey.parsePublicKey(pem)));
      }
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("no audit public key: give --key");
      }
      return keys;
    }

    private static int report(AuditVerifier.Outcome outcome, PrintStream out) {
      if (!outcome.ok()) {
        System.err.println("audit chain BROKEN at event " + outcome.badSeq() + ": "
            + outcome.problem());
        System.err.println("verified before it: " + outcome.headSeq() + " events");
        return 3;
      }
      out.println("audit chain intact: " + outcome.events() + " events, "
          + outcome.checkpoints() + " signed checkpoints verified");
      out.println("head: " + outcome.headSeq() + " " + (outcome.headHash() == null ? "-"
          : outcome.headHash()));
      if (outcome.uncovered() > 0) {
        out.println("note: the last " + outcome.uncovered() + " events are not yet covered"
            + " by a checkpoint");
      }
      return 0;
    }
  }

  /** {@code enroll audit export}. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write chained events as JSON lines to standard output, for a SIEM.")
  static final class Export implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--after", defaultValue = "0",
        description = "Only events after this sequence number (${DEFAULT-VALUE})")
    long after;

    @Option(names = "--checkpoints", description = "Also write checkpoint lines")
    boolean checkpoints;

    @Override
    public Integer call() throws Exception {
      PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
      try (Connection connection = source.open()) {
        JdbcAuditLog log = new JdbcAuditLog(connection);
        Paged events = new Paged(log, after);
        while (events.hasNext()) {
          out.println(AuditJson.line(events.next()));
        }
        if (checkpoints) {
          for (Checkpoint c : log.checkpoints(after, Integer.MAX_VALUE)) {
            out.println(AuditJson.line(c));
          }
        }
      }
      out.flush();
      return 0;
    }
  }

  /** Chained events read a page at a time. */
  private static final class Paged implements Iterator<ChainedEvent> {
    private final JdbcAuditLog log;
    private List<ChainedEvent> page = List.of();
    private int index;
    private long after;
    private boolean done;

    Paged(JdbcAuditLog log) {
      this(log, 0);
    }

    Paged(JdbcAuditLog log, long after) {
      this.log = log;
      this.after = after;
    }

    @Override
    public boolean hasNext() {
      if (index < page.size()) {
        return true;
      }
      if (done) {
        return false;
      }
      page = log.chained(after, PAGE);
      index = 0;
      done = page.size() < PAGE;
      if (!page.isEmpty()) {
        after = page.get(page.size() - 1).seq();
      }
      return !page.isEmpty();
    }

    @Override
    public ChainedEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return page.get(index++);
    }
  }
}
