package dev.enroll.lifecycle;

import dev.enroll.audit.AuditEvent;
import dev.enroll.credential.Credential;
import dev.enroll.credential.CredentialStatus;
import dev.enroll.credential.RevocationEvent;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.Printable;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import dev.enroll.store.Transaction;
import dev.enroll.subject.Subject;
import dev.enroll.subject.SubjectTransition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What happens to enrolled subjects and their credentials after enrollment: revocation of a
 * credential or a subject, quarantine and reinstatement, offboarding. Each operation is one
 * transaction with its audit events; relying parties hear of it after commit.
 */
public final class Lifecycle {
  /** The store announcement made when the revocation feed grows, on any node. */
  public static final String REVOCATIONS = "revocations";

  private final Store store;
  private final Clock clock;
  private final RevocationListener listener;

  /**
   * The lifecycle operations.
   *
   * @param store the store
   * @param clock the clock
   * @param listener told after each change commits
   */
  public Lifecycle(Store store, Clock clock, RevocationListener listener) {
    this.store = store;
    this.clock = clock;
    this.listener = listener;
  }

  /** Who asks, for scope checks and audit events. */
  public record Actor(String id, String tenantScope, String requestId) {}

  /**
   * Revokes one credential; with {@code keyCompromise}, every other unexpired credential for
   * the same public key too (its renewals that kept the key, and any older one).
   *
   * @param actor who asks
   * @param serial the credential's serial
   * @param reason why
   * @param force revoke even if it already expired
   * @return the credential as revoked
   */
  public Credential revokeCredential(Actor actor, String serial, RevocationReason reason,
      boolean force) {
    long started = System.nanoTime();
    List<RevocationEvent> changes = new ArrayList<>();
    String wanted = serial.toUpperCase(java.util.Locale.ROOT);
    String shown = printable(serial);
    Credential revoked = store.transact(tx -> {
      changes.clear();
      Instant now = clock.instant();
      Credential credential = tx.credentials().findBySerial(wanted)
          .filter(c -> actor.tenantScope() == null || actor.tenantScope().equals(c.tenant()))
          .orElseThrow(() -> new EnrollException(ProblemType.NOT_FOUND,
              "no credential with serial " + shown));
      if (credential.status() == CredentialStatus.REVOKED) {
        throw new EnrollException(ProblemType.CREDENTIAL_ALREADY_REVOKED, "credential "
            + shown + " was revoked at " + credential.revokedAt());
      }
      if (!credential.notAfter().isAfter(now) && !force) {
        throw new EnrollException(ProblemType.CREDENTIAL_EXPIRED, "credential " + shown
            + " expired at " + credential.notAfter() + "; send \"force\": true (enroll revoke"
            + " --force) to revoke it anyway");
      }
      revoke(tx, credential, reason, now, actor, changes);
      if (reason == RevocationReason.KEY_COMPROMISE) {
        // The key is compromised whatever certificate carries it, before or after this one.
        for (Credential same : tx.credentials().byPublicKey(credential.publicKeySha256())) {
          if (!same.id().equals(credential.id()) && same.notAfter().isAfter(now)
              && same.status() != CredentialStatus.REVOKED
              && same.status() != CredentialStatus.EXPIRED) {
            revoke(tx, same, reason, now, actor, changes);
          }
        }
      }
      return tx.credentials().findBySerial(wanted).orElseThrow();
    });
    listener.changed(List.copyOf(changes), started);
    return revoked;
  }

  /**
   * Moves a subject through the state machine, with what the move does to its credentials.
   *
   * @param actor who asks
   * @param subjectId the subject
   * @param transition the move
   * @param reason the revocation reason for revoke and offboard
   * @return the subject after the move
   */
  public Subject transition(Actor actor, String subjectId, SubjectTransition transition,
      RevocationReason reason) {
    long started = System.nanoTime();
    List<RevocationEvent> changes = new ArrayList<>();
    Subject moved = store.transact(tx -> {
      changes.clear();
      Instant now = clock.instant();
      Subject subject = tx.subjects().findById(actor.tenantScope(), subjectId)
          .orElseThrow(() -> new EnrollException(ProblemType.NOT_FOUND,
              "no subject " + printable(subjectId)));
      // The state changes first: the row lock orders this against a concurrent issuance.
      if (!transition.allowedFrom(subject.state()) || !tx.subjects().changeState(
          subject.id(), subject.state(), transition.target(), now)) {
        throw new EnrollException(ProblemType.SUBJECT_TRANSITION_NOT_ALLOWED, "subject "
            + subjectId + " is " + subject.state().wireName() + "; it cannot "
            + transition.wireName());
      }
      for (Credential credential : tx.credentials().bySubject(subject.id())) {
        apply(tx, transition, credential, reason, now, actor, changes);
      }
      tx.audit().append(new AuditEvent(now, subject.tenant(), actor.id(),
          "subject." + transition.wireName(), "subject:" + subject.id(), AuditEvent.SUCCESS,
          null, actor.requestId(), Map.of("from", subject.state().wireName(),
              "to", transition.target().wireName(), "credentials", changes.size())));
      return tx.subjects().findById(null, subject.id()).orElseThrow();
    });
    listener.changed(List.copyOf(changes), started);
    return moved;
  }

  /** Client text fit for a problem's detail: printable ASCII, at most 64 characters. */
  private static String printable(String text) {
    return Printable.shown(text, 64);
  }

  private void apply(Transaction tx, SubjectTransition transition, Credential credential,
      RevocationReason reason, Instant now, Actor actor, List<RevocationEvent> changes) {
    switch (transition) {
      case QUARANTINE:
        // Every certificate that still works is held, a renewed one's predecessor too.
        if ((credential.status() == CredentialStatus.ACTIVE
            || credential.status() == CredentialStatus.SUPERSEDED)
            && credential.notAfter().isAfter(now)) {
          hold(tx, credential, credential.status(), CredentialStatus.ON_HOLD, now, changes);
        }
        break;
      case REINSTATE:
        if (credential.status() == CredentialStatus.ON_HOLD) {
          // Lineage tells what a held certificate was: renewed ones go back to superseded.
          CredentialStatus was = tx.credentials().replacementOf(credential.id()).isPresent()
              ? CredentialStatus.SUPERSEDED : CredentialStatus.ACTIVE;
          hold(tx, credential, CredentialStatus.ON_HOLD, was, now, changes);
        }
        break;
      default:
        if (credential.status() != CredentialStatus.REVOKED) {
          revoke(tx, credential, reason, now, actor, changes);
        }
    }
  }

  private static void hold(Transaction tx, Credential credential, CredentialStatus from,
      CredentialStatus to, Instant now, List<RevocationEvent> changes) {
    String reason = to == CredentialStatus.ON_HOLD
        ? RevocationReason.CERTIFICATE_HOLD.rfcName() : null;
    // The feed says what a relying party needs: held (revoked, certificateHold) or good.
    String shown = to == CredentialStatus.ON_HOLD ? to.wireName()
        : CredentialStatus.ACTIVE.wireName();
    if (tx.credentials().changeStatus(credential.id(), from, to, now, reason)) {
      RevocationEvent event = new RevocationEvent(0, credential.tenant(), credential.serial(),
          credential.subjectId(), shown, reason, now);
      tx.revocations().append(event);
      tx.announce(REVOCATIONS);
      changes.add(event);
    }
  }

  private static void revoke(Transaction tx, Credential credential, RevocationReason reason,
      Instant now, Actor actor, List<RevocationEvent> changes) {
    if (!tx.credentials().changeStatus(credential.id(), credential.status(),
        CredentialStatus.REVOKED, now, reason.rfcName())) {
      throw new EnrollException(ProblemType.UNAVAILABLE,
          "the credential changed meanwhile; retry").with("retryAfterSeconds", 1);
    }
    changes.add(recordRevocation(tx, credential, reason, now, actor));
  }

  /**
   * Writes what a revocation leaves besides the status: the feed entry relying parties
   * follow and the audit event. The caller has changed the status in the same transaction.
   *
   * @param tx the transaction
   * @param credential the credential as it was before
   * @param reason why
   * @param now when
   * @param actor who
   * @return the feed entry
   */
  static RevocationEvent recordRevocation(Transaction tx, Credential credential,
      RevocationReason reason, Instant now, Actor actor) {
    RevocationEvent event = new RevocationEvent(0, credential.tenant(), credential.serial(),
        credential.subjectId(), CredentialStatus.REVOKED.wireName(), reason.rfcName(), now);
    tx.revocations().append(event);
    tx.announce(REVOCATIONS);
    tx.audit().append(new AuditEvent(now, credential.tenant(), actor.id(),
        "credential.revoked", "credential:" + credential.serial(), AuditEvent.SUCCESS,
        reason.rfcName(), actor.requestId(), Map.of("subject", credential.subjectId(),
            "previousStatus", credential.status().wireName())));
    return event;
  }
}
