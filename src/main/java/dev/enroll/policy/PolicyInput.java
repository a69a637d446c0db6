package dev.enroll.policy;

import java.time.Instant;
import java.util.Map;

/**
 * What a policy sees.
 *
 * @param claims the claims attestation verified
 * @param subject {@code kind}, {@code externalId}, {@code attributes}
 * @param request {@code tenant}, {@code profile}, {@code method}, {@code source}
 * @param now the time of the request
 */
public record PolicyInput(
    Map<String, Object> claims,
    Map<String, Object> subject,
    Map<String, Object> request,
    Instant now) {

  /**
   * The input of one enrollment.
   *
   * @param claims the verified claims
   * @param kind the subject's kind
   * @param externalId its external id
   * @param attributes its attributes
   * @param tenant the tenant
   * @param profile the profile
   * @param method the attestation method
   * @param source the client's address
   * @param now the time
   * @return the input
   */
  public static PolicyInput of(Map<String, Object> claims, String kind, String externalId,
      Map<String, String> attributes, String tenant, String profile, String method,
      String source, Instant now) {
    return new PolicyInput(claims,
        Map.of("kind", kind, "externalId", externalId, "attributes", attributes),
        Map.of("tenant", tenant, "profile", profile, "method", method,
            "source", source == null ? "" : source),
        now);
  }
}
