package dev.enroll.lifecycle;

import dev.enroll.authority.CertificateAuthority;
import dev.enroll.authority.Serial;
import dev.enroll.credential.Credential;
import dev.enroll.enrollment.Enrollment;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.profile.Profile;
import dev.enroll.profile.ProfileCatalog;
import dev.enroll.store.Store;
import dev.enroll.subject.Subject;
import java.util.function.Supplier;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The credential behind a TLS client certificate: one this CA signed and knows, with its
 * subject and the profile that issued it. Says nothing yet of its status or validity; each
 * caller (renewal, heartbeat) decides what it accepts.
 *
 * @param credential the stored credential
 * @param subject its subject
 * @param profile the profile that issued it
 * @param certificate the certificate as presented
 */
record PresentedCredential(Credential credential, Subject subject, Profile profile,
    X509CertificateHolder certificate) {

  /**
   * Resolves a presented certificate.
   *
   * @param presented the TLS client certificate, or null
   * @param authority the CA, to check its signature
   * @param store the store
   * @param profiles the profiles in force
   * @return the credential
   * @throws EnrollException {@code client-certificate-required}, {@code
   *     client-certificate-invalid} or {@code profile-unknown}
   */
  static PresentedCredential resolve(X509CertificateHolder presented,
      CertificateAuthority authority, Store store, Supplier<ProfileCatalog> profiles) {
    if (presented == null) {
      throw new EnrollException(ProblemType.CLIENT_CERTIFICATE_REQUIRED, "present your"
          + " certificate as the TLS client certificate");
    }
    if (!authority.signedByIssuer(presented)) {
      throw new EnrollException(ProblemType.CLIENT_CERTIFICATE_INVALID,
          "the client certificate was not issued by this CA");
    }
    String serial = Serial.format(presented.getSerialNumber());
    return store.transact(tx -> {
      Credential credential = tx.credentials().findBySerial(serial).orElseThrow(() ->
          new EnrollException(ProblemType.CLIENT_CERTIFICATE_INVALID,
              "no credential has the client certificate's serial"));
      Subject subject = tx.subjects().findById(null, credential.subjectId()).orElseThrow();
      Enrollment enrollment = tx.enrollments().findById(credential.enrollmentId())
          .orElseThrow();
      Profile profile = profiles.get().find(enrollment.tenant(), enrollment.profile())
          .orElseThrow(() -> new EnrollException(ProblemType.PROFILE_UNKNOWN, "the profile '"
              + enrollment.profile() + "' that issued the certificate no longer exists"));
      return new PresentedCredential(credential, subject, profile, presented);
    });
  }
}
