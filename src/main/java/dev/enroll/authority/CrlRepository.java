package dev.enroll.authority;

import java.time.Instant;
import java.util.Optional;

/** CRL numbers and the newest CRL of each issuer, shared by every node of a store. */
public interface CrlRepository {

  /**
   * Takes the next CRL number of an issuer.
   *
   * @param issuerId the issuing CA's id
   * @return a number greater than any taken before
   */
  long next(String issuerId);

  /**
   * The newest CRL published for an issuer.
   *
   * @param issuerId the issuing CA's id
   * @return it, if one was published
   */
  Optional<PublishedCrl> latest(String issuerId);

  /**
   * Publishes a CRL as the issuer's newest.
   *
   * @param crl the CRL
   */
  void save(PublishedCrl crl);

  /**
   * A CRL as published.
   *
   * @param issuerId the issuing CA's id
   * @param number its CRL number
   * @param thisUpdate its thisUpdate
   * @param der its encoding
   */
  record PublishedCrl(String issuerId, long number, Instant thisUpdate, byte[] der) {}
}
