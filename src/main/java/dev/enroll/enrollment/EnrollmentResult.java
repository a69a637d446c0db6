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
 * @param roles the roles the profile's policy gave the subject
 * @param credentials the credentials issued
 * @param telemetry what the subject should put on its own telemetry, and where it reports
 */
public record EnrollmentResult(
    String id,
    EnrollmentState status,
    String profile,
    Subject subject,
    List<String> roles,
    List<IssuedCredential> credentials,
    Telemetry telemetry) {

  /** Fills in an empty role list (answers stored before roles existed have none). */
  public EnrollmentResult {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  /**
   * Telemetry binding: the OpenTelemetry resource attributes that tie the subject's own
   * telemetry to its enrollment, and the heartbeat it calls with its certificate.
   *
   * @param resourceAttributes attribute names and values
   * @param heartbeat the path of {@code POST} heartbeats (mutual TLS)
   */
  public record Telemetry(java.util.Map<String, String> resourceAttributes, String heartbeat) {

    /**
     * The binding of a subject enrolled in a profile.
     *
     * @param tenant the tenant
     * @param profile the profile
     * @param subject the subject
     * @return the binding
     */
    public static Telemetry of(String tenant, String profile, Subject subject) {
      // Sorted, as a replayed answer (stored with sorted keys) has them.
      java.util.Map<String, String> attributes = new java.util.TreeMap<>();
      attributes.put("enroll.tenant", tenant);
      attributes.put("enroll.profile", profile);
      attributes.put("enroll.subject.id", subject.id());
      attributes.put("enroll.subject.kind", subject.kind().wireName());
      return new Telemetry(java.util.Collections.unmodifiableMap(attributes),
          "/v1/heartbeat");
    }
  }

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
