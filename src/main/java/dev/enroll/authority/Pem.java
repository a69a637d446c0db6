package dev.enroll.authority;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** PEM text of DER structures (RFC 7468), with 64-column lines and LF line ends. */
public final class Pem {
  private static final Base64.Encoder MIME =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  /**
   * Encodes DER as PEM.
   *
   * @param label such as {@code CERTIFICATE}
   * @param der the structure
   * @return PEM text ending in a line feed
   */
  public static String encode(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + MIME.encodeToString(der) + "\n-----END "
        + label + "-----\n";
  }

  /**
   * Encodes a certificate.
   *
   * @param der the certificate's DER
   * @return PEM text
   */
  public static String certificate(byte[] der) {
    return encode("CERTIFICATE", der);
  }
}
