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
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String NAME = "CERTIFICATE REQUEST";
  private static final String OLD_NAME = "NEW " + NAME;
  private static final String LABEL = NAME + "-----";
  private static final String OLD_LABEL = OLD_NAME + "-----";
  private static final Pattern ANY_PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
  private static final Pattern BARE = Pattern.compile("[A-Za-z0-9+/=_\\-\\s]+");

  private RequestText() {}

  static byte[] decode(String text) {
    if (text == null || text.isBlank()) {
      throw malformed("the request has no csr");
    }
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    String pem = pemBody(body);
    if (pem != null) {
      return base64(pem, false);
    }
    Matcher other = ANY_PEM.matcher(body);
    if (other.find()) {
      String label = other.group(1);
      if (label.equals(NAME) || label.equals(OLD_NAME)) {
        throw malformed("the csr's PEM block is incomplete: it needs its END line, and only"
            + " base64 between the two");
      }
      throw malformed("the csr is PEM labelled '" + label + "', expected " + NAME);
    }
    if (BARE.matcher(body).matches()) {
      String compact = withoutWhitespace(body, 0, body.length());
      boolean url = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0;
      return base64(compact, url);
    }
    throw malformed("the csr is neither PEM nor base64 DER");
  }

  /**
   * The base64 of the first well-formed certificate request block (RFC 7468: either label,
   * base64 and whitespace between the lines), or null when there is none.
   */
  private static String pemBody(String text) {
    for (int begin = text.indexOf(BEGIN); begin >= 0; begin = text.indexOf(BEGIN, begin + 1)) {
      int start = labelEnd(text, begin + BEGIN.length());
      if (start < 0) {
        continue;
      }
      int end = start;
      while (end < text.length() && isBase64OrSpace(text.charAt(end))) {
        end++;
      }
      if (text.startsWith(END, end) && labelEnd(text, end + END.length()) > 0) {
        return withoutWhitespace(text, start, end);
      }
    }
    return null;
  }

  /** Where the text after a label at {@code at} starts, or -1 when no label is there. */
  private static int labelEnd(String text, int at) {
    if (text.startsWith(LABEL, at)) {
      return at + LABEL.length();
    }
    if (text.startsWith(OLD_LABEL, at)) {
      return at + OLD_LABEL.length();
    }
    return -1;
  }

  private static boolean isBase64OrSpace(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
        || c == '+' || c == '/' || c == '=' || isSpace(c);
  }

  /** What a regular expression's {@code \s} matches. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static String withoutWhitespace(String text, int from, int to) {
    StringBuilder compact = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!isSpace(c)) {
        compact.append(c);
      }
    }
    return compact.toString();
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
