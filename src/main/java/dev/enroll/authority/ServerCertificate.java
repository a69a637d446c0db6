package dev.enroll.authority;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own TLS certificate, issued by its CA for {@code localhost}, the loopback
 * addresses and the configured host names, and re-issued at start when it nears expiry or
 * the names change.
 */
public final class ServerCertificate {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);
  private static final Duration VALIDITY = Duration.ofDays(365);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private final Path directory;
  private final KeyFiles keyFiles;
  private final Clock clock;

  /**
   * The server certificate's files.
   *
   * @param directory usually {@code DATA/tls}
   * @param keyFiles how the key is encrypted
   * @param clock the clock
   */
  public ServerCertificate(Path directory, KeyFiles keyFiles, Clock clock) {
    this.directory = directory;
    this.keyFiles = keyFiles;
    this.clock = clock;
  }

  /**
   * Reads the TLS key and certificate, issuing a new one when needed.
   *
   * @param authority the CA
   * @param files the CA's files, to generate a key
   * @param hostnames the configured host names
   * @param password the password to protect the in-memory key store entry with
   * @return a PKCS#12 key store with the key and chain under alias {@code server}
   */
  public KeyStore loadOrIssue(
      CertificateAuthority authority, AuthorityFiles files, List<String> hostnames,
      char[] password) {
    try {
      Files.createDirectories(directory);
      List<GeneralName> names = names(hostnames);
      Path certificateFile = directory.resolve("server.pem");
      Path keyFile = directory.resolve("server.key.pem");
      if (!current(certificateFile, names)) {
        KeyPair pair = files.generate(KeyType.P_256);
        IssuedCertificate issued = authority.issue(new CertificateTemplate(
            CertificateAuthority.emptyName(), names,
            SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()), VALIDITY,
            KeyUsage.digitalSignature, List.of(KeyPurposeId.id_kp_serverAuth)));
        keyFiles.write(keyFile, pair.getPrivate());
        Files.writeString(certificateFile, issued.pem(), StandardCharsets.US_ASCII);
        LOG.atInfo().addKeyValue("serial", issued.serial())
            .addKeyValue("notAfter", issued.notAfter())
            .log("server TLS certificate issued");
      }
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
          new PKCS8EncodedKeySpec(keyFiles.read(keyFile, "EC").getEncoded()));
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Certificate leaf = factory.generateCertificate(
          new ByteArrayInputStream(Files.readAllBytes(certificateFile)));
      Certificate issuing = factory.generateCertificate(new ByteArrayInputStream(
          authority.chainPem().getBytes(StandardCharsets.US_ASCII)));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, password, new Certificate[] {leaf, issuing});
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the server TLS key", e);
    }
  }

  private boolean current(Path certificateFile, List<GeneralName> names) throws IOException {
    if (!Files.exists(certificateFile) || !Files.exists(directory.resolve("server.key.pem"))) {
      return false;
    }
    X509CertificateHolder holder = KeyFiles.readCertificate(certificateFile);
    if (holder.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))) {
      return false;
    }
    Extension san = holder.getExtension(Extension.subjectAlternativeName);
    if (san == null) {
      return false;
    }
    Set<GeneralName> present = Set.of(GeneralNames.getInstance(san.getParsedValue()).getNames());
    return present.equals(Set.copyOf(names));
  }

  private static List<GeneralName> names(List<String> hostnames) {
    Set<String> dns = new LinkedHashSet<>();
    dns.add("localhost");
    List<GeneralName> names = new ArrayList<>();
    for (String host : hostnames) {
      if (SubjectNames.isDnsName(host)) {
        dns.add(host);
      } else {
        names.add(ipName(host));
      }
    }
    List<GeneralName> all = new ArrayList<>();
    dns.forEach(host -> all.add(new GeneralName(GeneralName.dNSName, host)));
    all.add(ipName("127.0.0.1"));
    all.add(ipName("::1"));
    names.stream().filter(n -> !all.contains(n)).forEach(all::add);
    return all;
  }

  private static GeneralName ipName(String address) {
    try {
      byte[] bytes = InetAddress.getByName(address).getAddress();
      return new GeneralName(GeneralName.iPAddress,
          new org.bouncycastle.asn1.DEROctetString(bytes));
    } catch (IOException e) {
      throw new IllegalArgumentException("'" + address + "' is neither a host name nor an IP"
          + " address", e);
    }
  }
}
