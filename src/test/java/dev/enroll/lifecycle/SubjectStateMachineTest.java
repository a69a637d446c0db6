package dev.enroll.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.enroll.credential.Credential;
import dev.enroll.credential.CredentialStatus;
import dev.enroll.credential.CredentialType;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Ids;
import dev.enroll.store.jdbc.JdbcStore;
import dev.enroll.subject.Subject;
import dev.enroll.subject.SubjectKind;
import dev.enroll.subject.SubjectState;
import dev.enroll.subject.SubjectTransition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of lifecycle operations on one subject, against the real store: the state
 * only ever moves as {@link SubjectTransition} allows, a refused move changes nothing, every
 * move leaves its audit event, and the credentials always match the subject's state.
 */
class SubjectStateMachineTest {
  private static final AtomicLong SERIALS = new AtomicLong(0x1000);
  private static Path directory;
  private static JdbcStore store;
  private static Lifecycle lifecycle;

  /** What a step does. */
  enum Step { QUARANTINE, REINSTATE, REVOKE, OFFBOARD, ISSUE }

  @BeforeContainer
  static void open() throws IOException {
    directory = Files.createTempDirectory("enroll-state-machine");
    store = JdbcStore.embedded(directory, 4);
    lifecycle = new Lifecycle(store, Clock.systemUTC(), (changes, started) -> { });
  }

  @AfterContainer
  static void close() throws IOException {
    store.close();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 80)
  void everyMoveIsLegalAuditedAndMatchedByTheCredentials(
      @ForAll @Size(max = 14) List<Step> steps) throws SQLException {
    Subject subject = newSubject();
    issue(subject.id());
    SubjectState expected = SubjectState.ACTIVE;
    Lifecycle.Actor admin = new Lifecycle.Actor("admin:test", null, null);

    boolean ended = false;
    for (Step step : steps) {
      SubjectState before = expected;
      if (step == Step.ISSUE) {
        boolean issued = issue(subject.id());
        assertThat(issued).as("issuance on a %s subject", expected)
            .isEqualTo(expected == SubjectState.ACTIVE);
      } else {
        SubjectTransition move = move(step);
        long eventsBefore = events(subject.id(), move);
        if (move.allowedFrom(expected)) {
          Subject after = lifecycle.transition(admin, subject.id(), move,
              RevocationReason.UNSPECIFIED);
          expected = move.target();
          assertThat(after.state()).isEqualTo(expected);
          assertThat(events(subject.id(), move)).isEqualTo(eventsBefore + 1);
        } else {
          assertThatThrownBy(() -> lifecycle.transition(admin, subject.id(), move,
              RevocationReason.UNSPECIFIED)).isInstanceOfSatisfying(EnrollException.class,
                  e -> assertThat(e.type()).isEqualTo(
                      ProblemType.SUBJECT_TRANSITION_NOT_ALLOWED));
          assertThat(events(subject.id(), move)).isEqualTo(eventsBefore);
        }
      }
      assertThat(stored(subject.id())).isEqualTo(expected);
      assertCredentialsMatch(subject.id(), expected);
      if (step == Step.OFFBOARD || step == Step.REVOKE) {
        ended = ended || move(step).allowedFrom(before);
      }
      // Whatever the table says, these hold: revoked never comes back, offboarded is final.
      if (ended) {
        assertThat(expected).isIn(SubjectState.REVOKED, SubjectState.OFFBOARDED);
      }
      if (before == SubjectState.OFFBOARDED) {
        assertThat(expected).isEqualTo(SubjectState.OFFBOARDED);
      }
    }
  }

  private static SubjectTransition move(Step step) {
    return SubjectTransition.valueOf(step.name());
  }

  private static void assertCredentialsMatch(String subjectId, SubjectState state) {
    List<CredentialStatus> statuses = store.transact(tx -> tx.credentials()
        .bySubject(subjectId)).stream().map(Credential::status).toList();
    switch (state) {
      case ACTIVE:
        assertThat(statuses).doesNotContain(CredentialStatus.ON_HOLD);
        break;
      case QUARANTINED:
        assertThat(statuses).doesNotContain(CredentialStatus.ACTIVE);
        break;
      default:
        assertThat(statuses).containsOnly(CredentialStatus.REVOKED);
    }
  }

  private static Subject newSubject() {
    Subject subject = new Subject(Ids.next(), "default", SubjectKind.DEVICE,
        "machine-" + Ids.next(), SubjectState.ACTIVE, Map.of("site", "b7"), Instant.now());
    return store.transact(tx -> tx.subjects().insertIfAbsent(subject));
  }

  /** Issues a credential the way enrollment and renewal do: only under an active lock. */
  private static boolean issue(String subjectId) {
    return store.transact(tx -> {
      Instant now = Instant.now();
      if (!tx.subjects().lockActive(subjectId, now)) {
        return false;
      }
      String serial = Long.toHexString(SERIALS.incrementAndGet()).toUpperCase();
      tx.credentials().insert(Credential.issued(Ids.next(), "default", subjectId, null,
          CredentialType.X509, serial, now.minusSeconds(60), now.plus(Duration.ofHours(1)),
          "k" + serial, "pem", now, null));
      return true;
    });
  }

  private static SubjectState stored(String subjectId) {
    return store.transact(tx -> tx.subjects().findById(null, subjectId)).orElseThrow().state();
  }

  private static long events(String subjectId, SubjectTransition move) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("select count(*) from audit_event where"
            + " action = ? and target = ?")) {
      s.setString(1, "subject." + move.wireName());
      s.setString(2, "subject:" + subjectId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        long n = rs.getLong(1);
        c.commit();
        return n;
      }
    }
  }
}
