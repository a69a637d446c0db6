package dev.enroll.attestation.x509;

import dev.enroll.config.ConfigException;
import dev.enroll.config.ProfileConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A profile's device-certificate attestation, compiled: the manufacturer CAs a device
 * certificate must chain to, the CRL files checked for it, and which of its names must
 * equal the subject's external id.
 *
 * @param anchors the manufacturer CAs
 * @param crlFiles CRL files, read again when they change
 * @param externalIdFrom {@code serialNumber}, {@code commonName} or {@code any}
 */
public record DeviceTrust(Set<TrustAnchor> anchors, List<Path> crlFiles, String externalIdFrom) {
  /** The method name. */
  public static final String METHOD = "x509";

  private static final Set<String> EXTERNAL_ID_FROM = Set.of("serialNumber", "commonName",
      "any");

  /** Copies the collections so the record stays immutable. */
  public DeviceTrust {
    anchors = Set.copyOf(anchors);
    crlFiles = List.copyOf(crlFiles);
  }

  /**
   * Compiles a profile's {@code x509} section.
   *
   * @param at the profile's key
   * @param profile the profile as written
   * @return the settings
   * @throws ConfigException naming the key of a wrong value
   */
  public static DeviceTrust compile(String at, ProfileConfig profile) {
    String key = at + ".x509";
    ProfileConfig.X509Config c = profile.x509();
    if (c == null || c.manufacturerCas().isEmpty()) {
      throw new ConfigException(key + ".manufacturerCas", "attestation by x509 needs at least"
          + " one manufacturer CA certificate file");
    }
    Set<TrustAnchor> anchors = new LinkedHashSet<>();
    for (int i = 0; i < c.manufacturerCas().size(); i++) {
      String at2 = key + ".manufacturerCas[" + i + "]";
      for (X509Certificate ca : certificates(at2, Path.of(c.manufacturerCas().get(i)))) {
        if (ca.getBasicConstraints() < 0) {
          throw new ConfigException(at2, "holds a certificate that is not a CA: "
              + ca.getSubjectX500Principal().getName());
        }
        anchors.add(new TrustAnchor(ca, null));
      }
    }
    List<Path> crls = new ArrayList<>();
    for (int i = 0; i < c.crls().size(); i++) {
      Path file = Path.of(c.crls().get(i));
      if (!Files.isReadable(file)) {
        throw new ConfigException(key + ".crls[" + i + "]", "cannot read " + file);
      }
      crls.add(file);
    }
    if (!EXTERNAL_ID_FROM.contains(c.externalIdFrom())) {
      throw new ConfigException(key + ".externalIdFrom", "'" + c.externalIdFrom()
          + "' is not one of " + EXTERNAL_ID_FROM);
    }
    return new DeviceTrust(anchors, crls, c.externalIdFrom());
  }

  private static List<X509Certificate> certificates(String at, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = new ArrayList<>();
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      factory.generateCertificates(in).forEach(c -> certificates.add((X509Certificate) c));
      if (certificates.isEmpty()) {
        throw new ConfigException(at, file + " holds no certificate");
      }
      return certificates;
    } catch (IOException e) {
      throw new ConfigException(at, "cannot read " + file);
    } catch (CertificateException e) {
      throw new ConfigException(at, file + " is not a PEM or DER certificate file");
    }
  }
}
