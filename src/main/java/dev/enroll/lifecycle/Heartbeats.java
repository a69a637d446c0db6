package dev.enroll.lifecycle;

import dev.enroll.authority.CertificateAuthority;
import dev.enroll.credential.CredentialStatus;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.profile.ProfileCatalog;
import dev.enroll.store.Store;
import dev.enroll.subject.Subject;
import dev.enroll.subject.SubjectState;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Telemetry binding: a subject reports with its own certificate (mutual TLS) that it runs,
 * and must report again within its profile's {@code telemetry.silentAfter}, or it is
 * listed as silent. Only a subject in good standing with a working certificate reports.
 */
public final class Heartbeats {
  private final Store store;
  private final CertificateAuthority authority;
  private final Supplier<ProfileCatalog> profiles;
  private final Clock clock;

  /**
   * Heartbeats.
   *
   * @param store the store
   * @param authority the CA, to recognize its certificates
   * @param profiles the profiles in force
   * @param clock the clock
   */
  public Heartbeats(Store store, CertificateAuthority authority,
      Supplier<ProfileCatalog> profiles, Clock clock) {
    this.store = store;
    this.authority = authority;
    this.profiles = profiles;
    this.clock = clock;
  }

  /**
   * Records a heartbeat.
   *
   * @param presented the TLS client certificate, or null
   * @return the subject that reported
   * @throws EnrollException why the heartbeat is refused
   */
  public Subject beat(X509CertificateHolder presented) {
    PresentedCredential current = PresentedCredential.resolve(presented, authority, store,
        profiles);
    Instant now = clock.instant();
    if (current.subject().state() != SubjectState.ACTIVE) {
      throw new EnrollException(ProblemType.SUBJECT_NOT_ACTIVE, "the subject is "
          + current.subject().state().wireName());
    }
    CredentialStatus status = current.credential().status();
    if (status == CredentialStatus.REVOKED || status == CredentialStatus.ON_HOLD) {
      throw new EnrollException(ProblemType.CREDENTIAL_REVOKED, "the certificate is "
          + status.wireName());
    }
    if (!current.credential().notAfter().isAfter(now)) {
      throw new EnrollException(ProblemType.CREDENTIAL_EXPIRED, "the certificate expired at "
          + current.credential().notAfter());
    }
    store.transact(tx -> {
      tx.subjects().heartbeat(current.subject().id(), now,
          now.plus(current.profile().silentAfter()));
      return null;
    });
    return current.subject();
  }
}
