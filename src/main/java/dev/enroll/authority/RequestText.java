package dev.enroll.authority;

import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a certificate request as clients send it into DER: PEM with or without explanatory
 * text before it (RFC 7468), a byte-order mark, CRLF line ends, the
 * {@code NEW CERTIFICATE REQUEST} label, or bare base64 / base64url DER.
 */
final class RequestText {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN (NEW )?CERTIFICATE REQUEST-----([A-Za-z0-9+/=\\s]*?)"
          + "-----END (NEW )?CERTIFICATE REQUEST-----");
  private static final Pattern ANY_PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
  private static final Pattern BARE = Pattern.compile("[A-Za-z0-9+/=_\\-\\s]+");

  private RequestText() {}

  static byte[] decode(String text) {
    if (text == null || text.isBlank()) {
      throw malformed("the request has no csr");
    }
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    Matcher pem = PEM.matcher(body);
    if (pem.find()) {
      return base64(pem.group(2).replaceAll("\\s", ""), false);
    }
    Matcher other = ANY_PEM.matcher(body);
    if (other.find()) {
      throw malformed("the csr is PEM labelled '" + other.group(1)
          + "', expected CERTIFICATE REQUEST");
    }
    if (BARE.matcher(body).matches()) {
      String compact = body.replaceAll("\\s", "");
      boolean url = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0;
      return base64(compact, url);
    }
    throw malformed("the csr is neither PEM nor base64 DER");
  }

  private static byte[] base64(String compact, boolean url) {
    try {
      byte[] der = url
          ? Base64.getUrlDecoder().decode(stripPadding(compact))
          : Base64.getDecoder().decode(compact);
      if (der.length == 0) {
        throw malformed("the csr is empty");
      }
      return der;
    } catch (IllegalArgumentException e) {
      throw malformed("the csr is not valid base64");
    }
  }

  private static String stripPadding(String text) {
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '=') {
      end--;
    }
    return text.substring(0, end);
  }

  private static EnrollException malformed(String detail) {
    return new EnrollException(ProblemType.CSR_MALFORMED, detail);
  }
}
