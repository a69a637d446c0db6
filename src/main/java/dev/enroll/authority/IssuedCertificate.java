package dev.enroll.authority;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A certificate the CA signed.
 *
 * @param serialNumber the serial number
 * @param serial the serial as {@code openssl x509 -serial} prints it
 * @param der the certificate's DER
 * @param pem the certificate's PEM
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param publicKeySha256 hex SHA-256 of the SubjectPublicKeyInfo, to find reuse of a key
 */
public record IssuedCertificate(
    BigInteger serialNumber,
    String serial,
    byte[] der,
    String pem,
    Instant notBefore,
    Instant notAfter,
    String publicKeySha256) {}
