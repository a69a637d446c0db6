package dev.enroll.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.attestation.token.JoinToken;
import dev.enroll.audit.AuditEvent;
import dev.enroll.credential.Credential;
import dev.enroll.credential.CredentialStatus;
import dev.enroll.credential.CredentialType;
import dev.enroll.credential.RevocationEvent;
import dev.enroll.enrollment.Enrollment;
import dev.enroll.enrollment.EnrollmentState;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.subject.Subject;
import dev.enroll.subject.SubjectKind;
import dev.enroll.subject.SubjectState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every store must do, whatever database is behind it: one suite, run against the
 * embedded H2 and against PostgreSQL. Uniqueness and exact counts under races come from the
 * database (constraints, conditional updates), never from checks in Java.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreContract {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private Store store;

  /** A new, empty, migrated store for this suite. */
  protected abstract Store openStore();

  @BeforeAll
  void openTheStore() {
    store = openStore();
  }

  /** The store under test. */
  protected Store store() {
    return store;
  }

  @AfterAll
  void closeStore() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  private Subject subject(String externalId) {
    return new Subject(Ids.next(), "default", SubjectKind.DEVICE, externalId,
        SubjectState.ACTIVE, Map.of("site", "b7"), NOW);
  }

  private Subject stored(String externalId) {
    Subject candidate = subject(externalId);
    return store().transact(tx -> tx.subjects().insertIfAbsent(candidate));
  }

  private Credential credential(Subject subject, String serial, Instant notAfter) {
    return Credential.issued(Ids.next(), "default", subject.id(), null, CredentialType.X509,
        serial, NOW.minusSeconds(60), notAfter, "key-" + serial, "pem", NOW, null);
  }

  private static <T> List<T> race(int threads, Callable<T> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      futures.add(pool.submit(() -> {
        start.await();
        return work.call();
      }));
    }
    start.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    return results;
  }

  @Test
  void concurrentInsertsOfOneSubjectEndWithOneRow() throws Exception {
    List<String> ids = race(16, () -> stored("race-subject").id());

    assertThat(ids).containsOnly(ids.get(0));
    assertThat(store().<Optional<Subject>>transact(
        tx -> tx.subjects().findById("default", ids.get(0))))
        .hasValueSatisfying(s -> assertThat(s.attributes()).containsEntry("site", "b7"));
  }

  @Test
  void subjectStateMovesOnlyFromTheStateNamed() {
    Subject s = stored("state-" + Ids.next());

    assertThat(store().<Boolean>transact(tx -> tx.subjects().lockActive(s.id(), NOW))).isTrue();
    assertThat(store().<Boolean>transact(tx -> tx.subjects().changeState(s.id(),
        SubjectState.QUARANTINED, SubjectState.ACTIVE, NOW))).isFalse();
    assertThat(store().<Boolean>transact(tx -> tx.subjects().changeState(s.id(),
        SubjectState.ACTIVE, SubjectState.REVOKED, NOW))).isTrue();
    assertThat(store().<Boolean>transact(tx -> tx.subjects().lockActive(s.id(), NOW))).isFalse();
  }

  @Test
  void offboardedSubjectsArePurgedOnceAfterTheirRetention() {
    Subject s = stored("leaver-" + Ids.next());
    store().transact(tx -> tx.subjects().changeState(s.id(), SubjectState.ACTIVE,
        SubjectState.OFFBOARDED, NOW.minus(Duration.ofDays(40))));

    List<String> due = store().transact(tx -> tx.subjects().offboardedBefore(
        NOW.minus(Duration.ofDays(30)), 100));
    assertThat(due).contains(s.id());
    store().transact(tx -> {
      tx.subjects().purgeAttributes(s.id(), NOW);
      return null;
    });

    assertThat(store().<Optional<Subject>>transact(
        tx -> tx.subjects().findById(null, s.id())).orElseThrow()
        .attributes()).isEmpty();
    assertThat(store().<List<String>>transact(tx -> tx.subjects().offboardedBefore(NOW, 100)))
        .doesNotContain(s.id());
  }

  @Test
  void credentialsAreFoundBySerialKeyAndStatusAndMoveOnlyFromTheStatusNamed() {
    Subject s = stored("cred-" + Ids.next());
    String serial = Ids.next().replace("-", "").toUpperCase();
    Credential c = credential(s, serial, NOW.plus(Duration.ofHours(1)));
    store().transact(tx -> {
      tx.credentials().insert(c);
      return null;
    });

    assertThat(store().<Optional<Credential>>transact(tx -> tx.credentials().findBySerial(serial)))
        .hasValueSatisfying(found -> assertThat(found.status())
            .isEqualTo(CredentialStatus.ACTIVE));
    assertThat(store().<List<Credential>>transact(
        tx -> tx.credentials().byPublicKey("key-" + serial)))
        .extracting(Credential::serial).containsExactly(serial);
    assertThat(store().<Boolean>transact(tx -> tx.credentials().changeStatus(c.id(),
        CredentialStatus.SUPERSEDED, CredentialStatus.REVOKED, NOW, "keyCompromise")))
        .isFalse();
    assertThat(store().<Boolean>transact(tx -> tx.credentials().changeStatus(c.id(),
        CredentialStatus.ACTIVE, CredentialStatus.ON_HOLD, NOW, "certificateHold"))).isTrue();

    Credential held = store().transact(tx -> tx.credentials().findBySerial(serial))
        .orElseThrow();
    assertThat(held.revokedAt()).isEqualTo(NOW);
    assertThat(held.revocationReason()).isEqualTo("certificateHold");
    assertThat(store().<List<Credential>>transact(tx -> tx.credentials().byStatus(List.of(
        CredentialStatus.ON_HOLD)))).extracting(Credential::serial).contains(serial);
  }

  @Test
  void expiryAndRenewalQueriesSeeOnlyWhatIsDue() {
    Subject s = stored("due-" + Ids.next());
    Credential ended = credential(s, "E" + Ids.next().substring(0, 8), NOW.minusSeconds(1));
    Credential live = credential(s, "L" + Ids.next().substring(0, 8), NOW.plusSeconds(3600));
    store().transact(tx -> {
      tx.credentials().insert(ended);
      tx.credentials().insert(live);
      return null;
    });

    assertThat(store().<List<Credential>>transact(tx -> tx.credentials().dueToExpire(NOW, 1000)))
        .extracting(Credential::id).contains(ended.id()).doesNotContain(live.id());
  }

  @Test
  void renewalLineageLeadsToTheReplacement() {
    Subject s = stored("lineage-" + Ids.next());
    Credential first = credential(s, "A" + Ids.next().substring(0, 8), NOW.plusSeconds(60));
    Credential second = Credential.issued(Ids.next(), "default", s.id(), null,
        CredentialType.X509, "B" + Ids.next().substring(0, 8), NOW, NOW.plusSeconds(120),
        "k", "pem", NOW, first.id());
    store().transact(tx -> {
      tx.credentials().insert(first);
      tx.credentials().insert(second);
      return null;
    });

    assertThat(store().<Optional<Credential>>transact(
        tx -> tx.credentials().replacementOf(first.id())))
        .map(Credential::id).hasValue(second.id());
    assertThat(store().<Optional<Credential>>transact(
        tx -> tx.credentials().replacementOf(second.id()))).isEmpty();
  }

  @Test
  void joinTokenUsesAreSpentExactlyOnceEachUnderRace() throws Exception {
    String id = Ids.next();
    store().transact(tx -> {
      tx.tokens().insert(new JoinToken(id, "default", "devices", null,
          "hash-" + id, 5, 5, NOW.plusSeconds(3600), "admin:test", NOW));
      return null;
    });

    List<OptionalInt> spent = race(12, () -> store().transact(tx -> tx.tokens()
        .spend(id, NOW)));

    assertThat(spent.stream().filter(OptionalInt::isPresent)).hasSize(5);
    assertThat(store().<Optional<JoinToken>>transact(
        tx -> tx.tokens().findBySecretHash("hash-" + id)))
        .hasValueSatisfying(t -> assertThat(t.usesLeft()).isZero());
  }

  @Test
  void anIdempotencyKeyIsClaimedByOneCallerOnly() throws Exception {
    String key = Ids.next();
    List<Boolean> claims = race(12, () -> store().transact(tx -> tx.idempotency()
        .claim("default", key, "hash", NOW)));

    assertThat(claims.stream().filter(Boolean::booleanValue)).hasSize(1);
    store().transact(tx -> {
      tx.idempotency().complete("default", key, 201, "{}");
      return null;
    });
    assertThat(store().<Optional<dev.enroll.enrollment.IdempotencyRecord>>transact(
        tx -> tx.idempotency().find("default", key)))
        .hasValueSatisfying(r -> assertThat(r.completed()).isTrue());
  }

  @Test
  void theRevocationFeedAndCrlNumbersOnlyGrow() {
    long before = store().transact(tx -> tx.revocations().latestId());
    store().transact(tx -> {
      for (int i = 0; i < 3; i++) {
        tx.revocations().append(new RevocationEvent(0, "default", "S" + i, "subj", "revoked",
            "keyCompromise", NOW));
      }
      return null;
    });

    List<RevocationEvent> page = store().transact(tx -> tx.revocations().after(before, 2));
    assertThat(page).hasSize(2);
    assertThat(page.get(0).id()).isLessThan(page.get(1).id());
    assertThat(store().<List<RevocationEvent>>transact(
        tx -> tx.revocations().after(page.get(1).id(), 10)))
        .hasSize(1);
    long first = store().transact(tx -> tx.crls().next("issuer"));
    long second = store().transact(tx -> tx.crls().next("issuer"));
    assertThat(second).isGreaterThan(first);
  }

  @Test
  void workThatThrowsInAGroupChangesNothingWhileItsBatchMatesCommit() throws Exception {
    String prefix = "group-" + Ids.next() + "-";
    List<String> answers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int n = i;
      results.add(pool.submit(() -> {
        try {
          return store().transactGrouped(tx -> {
            tx.audit().append(new AuditEvent(NOW, "default", "test", "test.work",
                prefix + n, AuditEvent.SUCCESS, null, null, Map.of()));
            if (n % 3 == 0) {
              throw new EnrollException(ProblemType.TOKEN_USED_UP, "refused");
            }
            return "ok";
          });
        } catch (EnrollException e) {
          return e.type().slug();
        }
      }));
    }
    for (Future<String> f : results) {
      answers.add(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();

    assertThat(answers.stream().filter("ok"::equals)).hasSize(40);
    long stored = store().transact(tx -> tx.audit().unchained(100_000)).stream()
        .filter(u -> u.event().target().startsWith(prefix)).count();
    assertThat(stored).isEqualTo(40);
  }

  @Test
  void enrollmentsAreStoredAndFound() {
    Subject s = stored("enrolled-" + Ids.next());
    String id = Ids.next();
    store().transact(tx -> {
      tx.enrollments().insert(new Enrollment(id, "default", "devices", s.id(),
          EnrollmentState.COMPLETED, "token", "req-1", NOW, NOW));
      return null;
    });

    Optional<Enrollment> found = store().transact(tx -> tx.enrollments().findById(id));
    assertThat(found).hasValueSatisfying(e -> {
      assertThat(e.subjectId()).isEqualTo(s.id());
      assertThat(e.createdAt()).isEqualTo(NOW);
    });
  }
}
