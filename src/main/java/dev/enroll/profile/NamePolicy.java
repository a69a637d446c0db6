package dev.enroll.profile;

import dev.enroll.authority.CertificateAuthority;
import dev.enroll.authority.CheckedRequest;
import dev.enroll.authority.SubjectNames;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.Printable;
import dev.enroll.problem.ProblemType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Decides a certificate's names from a request's: each requested name must be allowed by the
 * profile, or the request is refused. Nothing is dropped silently.
 */
public final class NamePolicy {
  /** Where the certificate's subject name comes from. */
  public enum SubjectSource {
    /** The CSR's subject, each attribute checked. */
    CSR,
    /** {@code CN=<externalId>}; the CSR's subject is a placeholder and ignored. */
    EXTERNAL_ID
  }

  private final SubjectSource subjectSource;
  private final Set<ASN1ObjectIdentifier> subjectAttributes;
  private final List<NamePattern> commonNames;
  private final List<NamePattern> dns;
  private final List<NamePattern> uris;
  private final List<NamePattern> emails;
  private final List<IpRange> ips;
  private final int maxNames;

  /**
   * A name policy.
   *
   * @param subjectSource where the subject name comes from
   * @param subjectAttributes the DN attributes a CSR's subject may hold
   * @param commonNames patterns for a requested CN
   * @param dns patterns for DNS names
   * @param uris patterns for URIs
   * @param emails patterns for e-mail addresses
   * @param ips ranges for IP addresses
   * @param maxNames the most alternative names a certificate may carry
   */
  public NamePolicy(
      SubjectSource subjectSource, Set<ASN1ObjectIdentifier> subjectAttributes,
      List<NamePattern> commonNames, List<NamePattern> dns, List<NamePattern> uris,
      List<NamePattern> emails, List<IpRange> ips, int maxNames) {
    this.subjectSource = subjectSource;
    this.subjectAttributes = Set.copyOf(subjectAttributes);
    this.commonNames = List.copyOf(commonNames);
    this.dns = List.copyOf(dns);
    this.uris = List.copyOf(uris);
    this.emails = List.copyOf(emails);
    this.ips = List.copyOf(ips);
    this.maxNames = maxNames;
  }

  /**
   * The certificate's names.
   *
   * @param profile the profile's name, for messages
   * @param request the checked request
   * @param externalId the subject's external id
   * @return the subject and alternative names
   * @throws EnrollException {@code name-not-allowed} or {@code csr-malformed} (no name)
   */
  public DecidedNames decide(String profile, CheckedRequest request, String externalId) {
    X500Name subject = subjectSource == SubjectSource.EXTERNAL_ID
        ? new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, externalId).build()
        : checkedSubject(profile, request.subject(), externalId);

    List<GeneralName> names = request.requestedNames();
    if (names.size() > maxNames) {
      throw refused(profile, "the csr requests " + names.size() + " names; the profile allows"
          + " at most " + maxNames, null);
    }
    List<GeneralName> allowed = new ArrayList<>();
    for (GeneralName name : names) {
      checkAlternativeName(profile, name, externalId);
      if (!allowed.contains(name)) {
        allowed.add(name);
      }
    }

    if (subject.getRDNs().length == 0 && allowed.isEmpty()) {
      throw new EnrollException(ProblemType.CSR_MALFORMED,
          "the csr requests no name: give it a subject or subject alternative names");
    }
    return new DecidedNames(subject, allowed);
  }

  /**
   * The certificate's names when the profile's policy decides some of them: for each type
   * the policy decides, the certificate carries exactly the policy's names (each still
   * within the profile's patterns), and a requested name of that type must be one of them.
   *
   * @param profile the profile's name, for messages
   * @param request the checked request
   * @param externalId the subject's external id
   * @param decided the policy's names by type ({@code dns}, {@code uri}, {@code email},
   *     {@code ip}); empty to decide by the request alone
   * @return the subject and alternative names
   * @throws EnrollException {@code name-not-allowed} or {@code csr-malformed} (no name)
   */
  public DecidedNames decide(String profile, CheckedRequest request, String externalId,
      java.util.Map<String, List<String>> decided) {
    if (decided.isEmpty()) {
      return decide(profile, request, externalId);
    }
    java.util.Map<Integer, List<GeneralName>> byTag = new java.util.LinkedHashMap<>();
    for (java.util.Map.Entry<String, List<String>> entry : decided.entrySet()) {
      int tag = tagOf(entry.getKey());
      List<GeneralName> names = new ArrayList<>();
      for (String text : entry.getValue()) {
        GeneralName name;
        try {
          name = new GeneralName(tag, text);
          SubjectNames.checkSyntax(name);
        } catch (IllegalArgumentException | EnrollException e) {
          // The policy's output, not the client's request: the policy fails closed.
          throw new EnrollException(ProblemType.POLICY_FAILED, "the profile's policy gave"
              + " a " + entry.getKey() + " name that is not valid ('" + printable(text)
              + "'), so the request is refused");
        }
        checkAlternativeName(profile, name, externalId);
        if (!names.contains(name)) {
          names.add(name);
        }
      }
      byTag.put(tag, names);
    }

    X500Name subject = subjectSource == SubjectSource.EXTERNAL_ID
        ? new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, externalId).build()
        : checkedSubject(profile, request.subject(), externalId);
    List<GeneralName> allowed = new ArrayList<>();
    for (GeneralName name : request.requestedNames()) {
      List<GeneralName> fixed = byTag.get(name.getTagNo());
      if (fixed == null) {
        checkAlternativeName(profile, name, externalId);
      } else if (!fixed.contains(name)) {
        throw refused(profile, "the csr asks for a " + typeName(name.getTagNo())
            + " name the policy does not give this subject", null);
      }
      if (fixed == null && !allowed.contains(name)) {
        allowed.add(name);
      }
    }
    byTag.values().forEach(allowed::addAll);
    if (allowed.size() > maxNames) {
      throw refused(profile, "the certificate would carry " + allowed.size() + " names; the"
          + " profile allows at most " + maxNames, null);
    }
    if (subject.getRDNs().length == 0 && allowed.isEmpty()) {
      throw new EnrollException(ProblemType.CSR_MALFORMED,
          "the csr requests no name: give it a subject or subject alternative names");
    }
    return new DecidedNames(subject, allowed);
  }

  private static int tagOf(String type) {
    switch (type) {
      case "dns":
        return GeneralName.dNSName;
      case "uri":
        return GeneralName.uniformResourceIdentifier;
      case "email":
        return GeneralName.rfc822Name;
      case "ip":
        return GeneralName.iPAddress;
      default:
        throw new IllegalArgumentException("no name type " + type);
    }
  }

  private X500Name checkedSubject(String profile, X500Name subject, String externalId) {
    for (RDN rdn : subject.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        String attribute = SubjectNames.attributeName(atv.getType());
        if (!subjectAttributes.contains(atv.getType())) {
          throw refused(profile, "the subject attribute " + attribute + " is not allowed",
              attribute);
        }
        if (BCStyle.CN.equals(atv.getType())) {
          String cn = ((ASN1String) atv.getValue()).getString();
          if (commonNames.stream().noneMatch(p -> p.matches(cn, externalId))) {
            throw refused(profile, "the common name '" + printable(cn) + "' is not allowed"
                + allowedText(commonNames), "CN=" + printable(cn));
          }
        }
      }
    }
    return subject.getRDNs().length == 0 ? CertificateAuthority.emptyName() : subject;
  }

  private void checkAlternativeName(String profile, GeneralName name, String externalId) {
    switch (name.getTagNo()) {
      case GeneralName.dNSName:
        match(profile, "DNS name", text(name), dns, externalId);
        break;
      case GeneralName.uniformResourceIdentifier:
        match(profile, "URI", text(name), uris, externalId);
        break;
      case GeneralName.rfc822Name:
        match(profile, "e-mail address", text(name), emails, externalId);
        break;
      case GeneralName.iPAddress:
        byte[] address = ASN1OctetString.getInstance(name.getName()).getOctets();
        if (ips.stream().noneMatch(range -> range.contains(address))) {
          String shown = addressText(address);
          throw refused(profile, "the IP address " + shown + " is not allowed"
              + (ips.isEmpty() ? "" : "; allowed: " + ips), shown);
        }
        break;
      default:
        throw refused(profile, "alternative names of type " + typeName(name.getTagNo())
            + " are not allowed", null);
    }
  }

  private void match(
      String profile, String what, String value, List<NamePattern> patterns,
      String externalId) {
    if (patterns.stream().noneMatch(p -> p.matches(value, externalId))) {
      throw refused(profile, "the " + what + " '" + printable(value) + "' is not allowed"
          + allowedText(patterns), printable(value));
    }
  }

  private static String allowedText(List<NamePattern> patterns) {
    return patterns.isEmpty() ? "" : "; allowed: " + patterns;
  }

  private static EnrollException refused(String profile, String detail, String name) {
    EnrollException e = new EnrollException(ProblemType.NAME_NOT_ALLOWED,
        "profile '" + profile + "': " + detail);
    return name == null ? e : e.with("name", name);
  }

  private static String text(GeneralName name) {
    return ((ASN1String) name.getName()).getString();
  }

  private static String addressText(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      return "(invalid)";
    }
  }

  private static String typeName(int tag) {
    switch (tag) {
      case GeneralName.otherName:
        return "otherName";
      case GeneralName.directoryName:
        return "directoryName";
      case GeneralName.registeredID:
        return "registeredID";
      case GeneralName.dNSName:
        return "DNS";
      case GeneralName.uniformResourceIdentifier:
        return "URI";
      case GeneralName.rfc822Name:
        return "e-mail";
      case GeneralName.iPAddress:
        return "IP";
      default:
        return "[" + tag + "]";
    }
  }

  private static String printable(String text) {
    return Printable.shown(text, 100);
  }

  /**
   * The names a certificate carries.
   *
   * @param subject the subject name (may be empty)
   * @param alternativeNames the subject alternative names
   */
  public record DecidedNames(X500Name subject, List<GeneralName> alternativeNames) {}
}
