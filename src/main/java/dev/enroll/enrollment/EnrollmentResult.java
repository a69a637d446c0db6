package dev.enroll.enrollment;

import dev.enroll.subject.Subject;
import java.time.Instant;
import java.util.List;

/**
 * The answer to a completed enrollment.
 *
 * @param id the enrollment's id
 * @param status its state
 * @param profile the profile it used
 * @param subject the enrolled subject
 * @param credentials the credentials issued
 */
public record EnrollmentResult(
    String id,
    EnrollmentState status,
    String profile,
    Subject subject,
    List<IssuedCredential> credentials) {

  /**
   * One issued credential.
   *
   * @param type {@code x509}
   * @param serial the serial, as {@code openssl x509 -serial} prints it
   * @param certificate the certificate in PEM
   * @param chain the issuing CA chain in PEM, without the root
   * @param notBefore start of validity
   * @param notAfter end of validity
   */
  public record IssuedCredential(
      String type,
      String serial,
      String certificate,
      String chain,
      Instant notBefore,
      Instant notAfter) {}
}
