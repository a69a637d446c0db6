package dev.enroll.attestation.symmetric;

import dev.enroll.attestation.AttestationRequest;
import dev.enroll.attestation.Attestor;
import dev.enroll.attestation.Nonces;
import dev.enroll.attestation.VerifiedAttestation;
import dev.enroll.authority.Secrets;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Attestation by a group key. The device holds its own key, HMAC-SHA256(group key,
 * registration id), where the registration id is the subject's external id, and proves it
 * with {@code mac}: HMAC-SHA256(device key, nonce) over a server nonce, or
 * HMAC-SHA256(device key, "registration id \n timestamp") over an RFC 3339 timestamp
 * within the profile's clock skew. Either proof is accepted once.
 */
public final class SymmetricKeyAttestor implements Attestor {
  private final GroupKeys groups;
  private final Nonces nonces;

  /**
   * A group-key attestor.
   *
   * @param groups the enrollment groups
   * @param nonces the server's nonces
   */
  public SymmetricKeyAttestor(GroupKeys groups, Nonces nonces) {
    this.groups = groups;
    this.nonces = nonces;
  }

  @Override
  public String method() {
    return GroupKeySettings.METHOD;
  }

  @Override
  public VerifiedAttestation attest(AttestationRequest request) {
    GroupKeySettings settings = request.profile().settings(GroupKeySettings.METHOD,
        GroupKeySettings.class);
    Map<String, Object> evidence = request.evidence();
    String groupName = text(evidence, "group");
    byte[] mac = mac(text(evidence, "mac"));
    Object nonce = evidence.get("nonce");
    Object timestamp = evidence.get("timestamp");
    if ((nonce == null) == (timestamp == null) || nonce != null && !(nonce instanceof String)
        || timestamp != null && !(timestamp instanceof String)) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "attestation of type"
          + " symmetric-key needs either a string 'nonce' or a string 'timestamp'");
    }

    String tenant = request.profile().tenant();
    GroupKeys.Opened group = groups.open(tenant, request.profile().name(), groupName);
    String registrationId = request.externalId();
    byte[] deviceKey = hmac(group.key(), registrationId);
    String signed;
    Instant keepUntil = null;
    if (nonce != null) {
      signed = (String) nonce;
    } else {
      Instant at = instant((String) timestamp);
      Duration skew = Duration.between(at, request.now()).abs();
      if (skew.compareTo(settings.maxClockSkew()) > 0) {
        throw new EnrollException(ProblemType.SYMMETRIC_KEY_TIMESTAMP_SKEWED, "the timestamp"
            + " lies " + skew.toSeconds() + " s from the server's time; at most "
            + settings.maxClockSkew().toSeconds() + " s is accepted");
      }
      signed = registrationId + "\n" + timestamp;
      keepUntil = at.plus(settings.maxClockSkew()).plusSeconds(1);
    }
    if (!MessageDigest.isEqual(hmac(deviceKey, signed), mac)) {
      throw new EnrollException(ProblemType.SYMMETRIC_KEY_MAC_INVALID, "the mac does not"
          + " match this registration id's device key in group '" + groupName + "'");
    }

    Map<String, Object> claims = Map.of("group.id", group.group().id(),
        "group.name", group.group().name());
    String proof = Secrets.hash(group.group().id() + "\n" + signed);
    Instant expiry = keepUntil;
    return new VerifiedAttestation(GroupKeySettings.METHOD, claims, claims, true,
        (tx, requestId) -> {
      if (nonce != null) {
        nonces.consume(tx, tenant, (String) nonce);
      } else if (!tx.evidence().spend(GroupKeySettings.METHOD, proof, expiry, request.now())) {
        throw new EnrollException(ProblemType.SYMMETRIC_KEY_REPLAYED, "this timestamped"
            + " proof was used before; make a new one");
      }
    });
  }

  private static String text(Map<String, Object> evidence, String field) {
    Object value = evidence.get(field);
    if (!(value instanceof String) || ((String) value).isEmpty()) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "attestation of type"
          + " symmetric-key needs a string field '" + field + "'");
    }
    return (String) value;
  }

  private static byte[] mac(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "mac must be base64");
    }
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "timestamp must be an RFC 3339"
          + " time, such as 2026-12-04T10:15:30Z");
    }
  }

  /** HMAC-SHA256 of a UTF-8 text. */
  static byte[] hmac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
