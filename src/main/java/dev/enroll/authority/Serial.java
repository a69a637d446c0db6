package dev.enroll.authority;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Certificate serial numbers, positive and always 16 bytes long: a marker byte, the issuing
 * millisecond (48 bits), then 72 bits from a CSPRNG. The random part is what the CA/Browser
 * Forum asks for (at least 64 bits, so serials cannot be guessed or made to collide); the
 * time in front makes serials sort in issuance order, so each new one lands at the end of
 * the store's serial index instead of on a random page. Written as
 * {@code openssl x509 -serial} prints them (upper-case hex, no separators).
 */
public final class Serial {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private Serial() {}

  /** A new serial number, issued now. */
  public static BigInteger next() {
    return next(System.currentTimeMillis());
  }

  /**
   * A new serial number.
   *
   * @param millis the issuing time, in milliseconds since the epoch
   * @return the serial
   */
  static BigInteger next(long millis) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    bytes[0] = 0x40;
    for (int i = 6; i >= 1; i--) {
      bytes[i] = (byte) millis;
      millis >>>= 8;
    }
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
