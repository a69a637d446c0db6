package dev.enroll.subject;

import java.time.Instant;
import java.util.Map;

/**
 * An enrolled person, device, workload or service; unique per tenant, kind and external id.
 *
 * @param id the id Enroll gave it
 * @param tenant the tenant it belongs to
 * @param kind what it is
 * @param externalId the caller's name for it, such as a serial number
 * @param state where it is in its life
 * @param attributes attributes the enrollment supplied (strings only)
 * @param createdAt when it was first enrolled
 */
public record Subject(
    String id,
    String tenant,
    SubjectKind kind,
    String externalId,
    SubjectState state,
    Map<String, String> attributes,
    Instant createdAt) {
  /** What an external id may look like: 1 to 128 of letters, digits and {@code ._:@-}. */
  public static final java.util.regex.Pattern EXTERNAL_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");


  /** Copies the attributes so the record stays immutable. */
  public Subject {
    attributes = Map.copyOf(attributes);
  }
}
