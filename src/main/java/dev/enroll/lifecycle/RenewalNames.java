package dev.enroll.lifecycle;

import dev.enroll.authority.CheckedRequest;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.Printable;
import dev.enroll.problem.ProblemType;
import dev.enroll.profile.NamePolicy.DecidedNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A renewal keeps its identity: the new certificate carries the current one's subject and
 * alternative names, and the CSR may ask for no name the current certificate lacks.
 *
 * <p>A common name and a DNS name count as the same name, so a client that copies its CN
 * into a DNS name (or drops a DNS name that repeated the CN) renews without trouble.
 */
final class RenewalNames {
  private RenewalNames() {}

  /**
   * The names of a renewed certificate.
   *
   * @param current the certificate being renewed
   * @param csr the renewal's request
   * @return the current certificate's subject and alternative names
   * @throws EnrollException {@code renewal-names-changed} naming the first new name
   */
  static DecidedNames sameIdentity(X509CertificateHolder current, CheckedRequest csr) {
    X500Name subject = current.getSubject();
    List<GeneralName> alternatives = alternativeNames(current);

    Set<String> identity = new HashSet<>();
    for (GeneralName name : alternatives) {
      identity.add(key(name.getTagNo(), text(name)));
    }
    Set<String> attributes = new HashSet<>();
    for (RDN rdn : subject.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        String value = value(atv);
        attributes.add(atv.getType().getId() + "=" + value);
        if (BCStyle.CN.equals(atv.getType())) {
          identity.add(key(GeneralName.dNSName, value));
        }
      }
    }

    for (RDN rdn : csr.subject().getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        String value = value(atv);
        boolean known = attributes.contains(atv.getType().getId() + "=" + value)
            || BCStyle.CN.equals(atv.getType())
                && identity.contains(key(GeneralName.dNSName, value));
        if (!known) {
          throw changed(BCStyle.INSTANCE.oidToDisplayName(atv.getType()) + "=" + value);
        }
      }
    }
    for (GeneralName name : csr.requestedNames()) {
      if (!identity.contains(key(name.getTagNo(), text(name)))) {
        throw changed(text(name));
      }
    }
    return new DecidedNames(subject, alternatives);
  }

  private static List<GeneralName> alternativeNames(X509CertificateHolder certificate) {
    Extension san = certificate.getExtension(Extension.subjectAlternativeName);
    List<GeneralName> names = new ArrayList<>();
    if (san != null) {
      names.addAll(List.of(GeneralNames.getInstance(san.getParsedValue()).getNames()));
    }
    return names;
  }

  private static String key(int tag, String text) {
    String normal = tag == GeneralName.dNSName || tag == GeneralName.rfc822Name
        ? text.toLowerCase(Locale.ROOT) : text;
    return tag + ":" + normal;
  }

  private static String text(GeneralName name) {
    if (name.getName() instanceof ASN1String) {
      return ((ASN1String) name.getName()).getString();
    }
    return name.getName().toString();
  }

  private static String value(AttributeTypeAndValue atv) {
    return atv.getValue() instanceof ASN1String
        ? ((ASN1String) atv.getValue()).getString() : atv.getValue().toString();
  }

  private static EnrollException changed(String name) {
    String shown = Printable.cut(name, 128);
    return new EnrollException(ProblemType.RENEWAL_NAMES_CHANGED, "the renewal asks for '"
        + shown + "', which the current certificate does not carry; a renewal keeps the"
        + " certificate's names").with("name", shown);
  }
}
