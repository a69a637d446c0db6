package dev.enroll.authority;

/** CRL numbers, increasing per issuer across restarts and nodes. */
public interface CrlNumberRepository {
  /**
   * Takes the next CRL number of an issuer.
   *
   * @param issuerId the issuer
   * @return a number greater than any returned before
   */
  long next(String issuerId);
}
