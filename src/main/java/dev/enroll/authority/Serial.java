package dev.enroll.authority;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Certificate serial numbers: 127 random bits, positive, always 16 bytes long, written as
 * {@code openssl x509 -serial} prints them (upper-case hex, no separators).
 */
public final class Serial {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private Serial() {}

  /** A new random serial number. */
  public static BigInteger next() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    bytes[0] = (byte) ((bytes[0] & 0x3f) | 0x40);
    return new BigInteger(1, bytes);
  }

  /**
   * Formats a serial the way {@code openssl x509 -serial} prints it.
   *
   * @param serial a positive serial number
   * @return upper-case hex with an even number of digits
   */
  public static String format(BigInteger serial) {
    byte[] bytes = serial.toByteArray();
    int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    return HEX.formatHex(bytes, start, bytes.length);
  }
}
