package dev.enroll.profile;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** A CIDR block of IPv4 or IPv6 addresses, such as {@code 10.0.0.0/8}. */
public final class IpRange {
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  private final byte[] network;
  private final int prefix;
  private final String text;

  private IpRange(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses a CIDR block.
   *
   * @param text such as {@code 192.0.2.0/24} or {@code 2001:db8::/32}
   * @return the range
   * @throws IllegalArgumentException when the text is not a CIDR block
   */
  public static IpRange parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (!LITERAL.matcher(address).matches()) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
    }
    int prefix;
    try {
      prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no valid prefix length", e);
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
    }
    return new IpRange(bytes, prefix, text);
  }

  /**
   * Whether an address lies in this range.
   *
   * @param address 4 or 16 bytes
   * @return true when it does
   */
  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int bits = network.length * 8;
    BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
        .shiftRight(prefix).not();
    BigInteger a = new BigInteger(1, address).and(mask);
    BigInteger n = new BigInteger(1, network).and(mask);
    return a.equals(n);
  }

  @Override
  public String toString() {
    return text;
  }
}
