package dev.enroll.authority;

import dev.enroll.problem.EnrollException;
import dev.enroll.problem.Printable;
import dev.enroll.problem.ProblemType;
import java.util.Map;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;

/** Syntax checks of requested names: RFC 5280 upper bounds and IA5String contents. */
public final class SubjectNames {
  private static final Map<ASN1ObjectIdentifier, Integer> UPPER_BOUNDS = Map.of(
      BCStyle.CN, 64, BCStyle.O, 64, BCStyle.OU, 64, BCStyle.L, 128, BCStyle.ST, 128,
      BCStyle.C, 2, BCStyle.EmailAddress, 255, BCStyle.SERIALNUMBER, 64);
  private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
      + "[A-Za-z0-9])?");

  private SubjectNames() {}

  /**
   * Refuses a subject whose attribute values are not strings or exceed RFC 5280's bounds.
   *
   * @param subject the requested subject
   * @throws EnrollException {@code csr-malformed}
   */
  public static void checkBounds(X500Name subject) {
    for (RDN rdn : subject.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (!(atv.getValue() instanceof ASN1String)) {
          throw malformed("the csr's subject attribute " + atv.getType().getId()
              + " is not a string");
        }
        Integer bound = UPPER_BOUNDS.get(atv.getType());
        String value = ((ASN1String) atv.getValue()).getString();
        if (bound != null && value.length() > bound) {
          throw malformed("the csr's subject attribute " + attributeName(atv.getType())
              + " has " + value.length() + " characters; at most " + bound + " are allowed");
        }
      }
    }
  }

  /**
   * Refuses an alternative name whose encoding is invalid: non-ASCII IA5 strings, DNS names
   * that are not LDH, IP addresses of the wrong length.
   *
   * @param name the requested name
   * @throws EnrollException {@code csr-malformed}
   */
  public static void checkSyntax(GeneralName name) {
    switch (name.getTagNo()) {
      case GeneralName.dNSName:
        String dns = ia5(name, "DNS name");
        if (!isDnsName(dns)) {
          throw malformed("the csr's DNS name '" + printable(dns) + "' is not a valid"
              + " host name");
        }
        break;
      case GeneralName.rfc822Name:
        ia5(name, "e-mail address");
        break;
      case GeneralName.uniformResourceIdentifier:
        ia5(name, "URI");
        break;
      case GeneralName.iPAddress:
        int length = ASN1OctetString.getInstance(name.getName()).getOctets().length;
        if (length != 4 && length != 16) {
          throw malformed("the csr's IP address has " + length + " bytes");
        }
        break;
      default:
        break;
    }
  }

  /**
   * Whether the text is a DNS host name of letters, digits and hyphens, optionally with one
   * leading wildcard label.
   *
   * @param dns the name
   * @return true for a valid host name
   */
  public static boolean isDnsName(String dns) {
    if (dns.isEmpty() || dns.length() > 253) {
      return false;
    }
    String[] labels = dns.split("\\.", -1);
    for (int i = 0; i < labels.length; i++) {
      boolean wildcard = i == 0 && labels.length > 1 && "*".equals(labels[i]);
      if (!wildcard && !DNS_LABEL.matcher(labels[i]).matches()) {
        return false;
      }
    }
    return true;
  }

  /**
   * A short name for a DN attribute type, such as {@code CN}, or its OID.
   *
   * @param type the attribute type
   * @return the name
   */
  public static String attributeName(ASN1ObjectIdentifier type) {
    String name = BCStyle.INSTANCE.oidToDisplayName(type);
    return name != null ? name : type.getId();
  }

  private static String ia5(GeneralName name, String what) {
    String text = ((ASN1String) name.getName()).getString();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw malformed("the csr's " + what + " holds characters outside ASCII;"
            + " write internationalized names as A-labels (punycode)");
      }
    }
    return text;
  }

  private static String printable(String text) {
    return Printable.shown(text, 80);
  }

  private static EnrollException malformed(String detail) {
    return new EnrollException(ProblemType.CSR_MALFORMED, detail);
  }
}
