package dev.enroll.lifecycle;

import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.CRLReason;

/** RFC 5280 CRLReason values by their names. */
public enum RevocationReason {
  UNSPECIFIED("unspecified", CRLReason.unspecified),
  KEY_COMPROMISE("keyCompromise", CRLReason.keyCompromise),
  CA_COMPROMISE("cACompromise", CRLReason.cACompromise),
  AFFILIATION_CHANGED("affiliationChanged", CRLReason.affiliationChanged),
  SUPERSEDED("superseded", CRLReason.superseded),
  CESSATION_OF_OPERATION("cessationOfOperation", CRLReason.cessationOfOperation),
  CERTIFICATE_HOLD("certificateHold", CRLReason.certificateHold),
  PRIVILEGE_WITHDRAWN("privilegeWithdrawn", CRLReason.privilegeWithdrawn);

  private final String rfcName;
  private final int code;

  RevocationReason(String rfcName, int code) {
    this.rfcName = rfcName;
    this.code = code;
  }

  /** The RFC 5280 name, such as {@code keyCompromise}. */
  public String rfcName() {
    return rfcName;
  }

  /** The CRLReason code. */
  public int code() {
    return code;
  }

  /**
   * The reason with a name; null means unspecified.
   *
   * @param name an RFC 5280 name
   * @return the reason
   * @throws EnrollException {@code request-malformed} for an unknown name, or for
   *     certificateHold, which only a quarantine sets
   */
  public static RevocationReason parse(String name) {
    if (name == null) {
      return UNSPECIFIED;
    }
    for (RevocationReason reason : values()) {
      if (reason.rfcName.equals(name) && reason != CERTIFICATE_HOLD) {
        return reason;
      }
    }
    throw new EnrollException(ProblemType.REQUEST_MALFORMED, "reason must be one of "
        + Arrays.stream(values()).filter(r -> r != CERTIFICATE_HOLD)
            .map(RevocationReason::rfcName).collect(Collectors.joining(", "))
        + " (certificateHold comes from a quarantine)");
  }

  /**
   * The reason with a stored name.
   *
   * @param name the stored RFC 5280 name, or null
   * @return the reason
   */
  public static RevocationReason ofStored(String name) {
    for (RevocationReason reason : values()) {
      if (reason.rfcName.equals(name)) {
        return reason;
      }
    }
    return UNSPECIFIED;
  }
}
