package dev.enroll.attestation;

import dev.enroll.profile.Profile;
import java.time.Instant;
import java.util.Map;

/**
 * Evidence to verify, with what it is for.
 *
 * @param profile the profile the subject enrolls under
 * @param subjectKind the subject's kind
 * @param externalId the subject's external id
 * @param evidence the method's fields, such as {@code token}
 * @param now the time of the request
 */
public record AttestationRequest(
    Profile profile,
    String subjectKind,
    String externalId,
    Map<String, Object> evidence,
    Instant now) {}
