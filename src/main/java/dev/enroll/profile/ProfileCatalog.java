package dev.enroll.profile;

import dev.enroll.attestation.AttestationMethods;
import dev.enroll.authority.KeyType;
import dev.enroll.config.ConfigException;
import dev.enroll.config.DurationText;
import dev.enroll.config.EnrollConfig;
import dev.enroll.config.ProfileConfig;
import dev.enroll.policy.ProfilePolicy;
import dev.enroll.subject.SubjectKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * All tenants' profiles, checked and compiled from the configuration. Building a catalog
 * either succeeds whole or fails naming the key of the first wrong value.
 */
public final class ProfileCatalog {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Map<String, Integer> KEY_USAGES = Map.of(
      "digitalSignature", KeyUsage.digitalSignature,
      "nonRepudiation", KeyUsage.nonRepudiation,
      "contentCommitment", KeyUsage.nonRepudiation,
      "keyEncipherment", KeyUsage.keyEncipherment,
      "dataEncipherment", KeyUsage.dataEncipherment,
      "keyAgreement", KeyUsage.keyAgreement);
  private static final Map<String, KeyPurposeId> EXTENDED_KEY_USAGES = Map.of(
      "serverAuth", KeyPurposeId.id_kp_serverAuth,
      "clientAuth", KeyPurposeId.id_kp_clientAuth,
      "codeSigning", KeyPurposeId.id_kp_codeSigning,
      "emailProtection", KeyPurposeId.id_kp_emailProtection,
      "timeStamping", KeyPurposeId.id_kp_timeStamping);

  private final Map<String, Map<String, Profile>> byTenant;

  private ProfileCatalog(Map<String, Map<String, Profile>> byTenant) {
    this.byTenant = byTenant;
  }

  /**
   * Compiles the configuration's profiles.
   *
   * @param config the configuration
   * @param attestationMethods the attestation methods this server knows
   * @return the catalog
   * @throws ConfigException naming the key of the first wrong value
   */
  public static ProfileCatalog compile(
      EnrollConfig config, AttestationMethods attestationMethods) {
    if (config.tenants().isEmpty()) {
      throw new ConfigException("tenants", "at least one tenant is required");
    }
    Map<String, Map<String, Profile>> tenants = new LinkedHashMap<>();
    config.tenants().forEach((tenant, tenantConfig) -> {
      String key = "tenants." + tenant;
      checkName(key, tenant);
      Map<String, Profile> profiles = new LinkedHashMap<>();
      tenantConfig.profiles().forEach((name, profile) -> {
        String at = key + ".profiles." + name;
        checkName(at, name);
        if (profile == null) {
          throw new ConfigException(at, "the profile is empty");
        }
        profiles.put(name, compile(at, tenant, name, profile, attestationMethods));
      });
      tenants.put(tenant, Collections.unmodifiableMap(profiles));
    });
    return new ProfileCatalog(Collections.unmodifiableMap(tenants));
  }

  /**
   * Finds a profile.
   *
   * @param tenant the tenant
   * @param name the profile name
   * @return the profile, if the tenant has one of that name
   */
  public Optional<Profile> find(String tenant, String name) {
    Map<String, Profile> profiles = byTenant.get(tenant);
    return profiles == null ? Optional.empty() : Optional.ofNullable(profiles.get(name));
  }

  /** Every profile of every tenant. */
  public List<Profile> all() {
    List<Profile> all = new ArrayList<>();
    byTenant.values().forEach(profiles -> all.addAll(profiles.values()));
    return all;
  }

  /** Whether the tenant exists. */
  public boolean hasTenant(String tenant) {
    return byTenant.containsKey(tenant);
  }

  private static Profile compile(
      String at, String tenant, String name, ProfileConfig c, AttestationMethods methods) {
    Set<SubjectKind> kinds = EnumSet.noneOf(SubjectKind.class);
    for (String kind : c.subjectKinds()) {
      SubjectKind parsed = SubjectKind.parse(kind);
      if (parsed == null) {
        throw new ConfigException(at + ".subjectKinds", "'" + kind + "' is not a subject kind"
            + " (user, device, workload, service)");
      }
      kinds.add(parsed);
    }
    if (c.attestation().isEmpty()) {
      throw new ConfigException(at + ".attestation", "at least one method is required");
    }
    Map<String, Object> methodSettings = methods.compile(at, c);
    Set<KeyType> keyTypes = EnumSet.noneOf(KeyType.class);
    for (String type : c.keyTypes()) {
      KeyType parsed = KeyType.parse(type);
      if (parsed == null) {
        throw new ConfigException(at + ".keyTypes", "'" + type + "' is not a key type"
            + " (P-256, P-384, P-521, RSA, Ed25519)");
      }
      keyTypes.add(parsed);
    }
    Duration validity = DurationText.parse(at + ".certificate.validity",
        c.certificate().validity());
    int keyUsage = 0;
    for (String usage : c.certificate().keyUsage()) {
      Integer bit = KEY_USAGES.get(usage);
      if (bit == null) {
        throw new ConfigException(at + ".certificate.keyUsage", "'" + usage + "' is not an"
            + " end-entity key usage (" + String.join(", ", KEY_USAGES.keySet()) + ")");
      }
      keyUsage |= bit;
    }
    List<KeyPurposeId> eku = new ArrayList<>();
    for (String usage : c.certificate().extendedKeyUsage()) {
      KeyPurposeId id = EXTENDED_KEY_USAGES.get(usage);
      if (id == null) {
        throw new ConfigException(at + ".certificate.extendedKeyUsage", "'" + usage
            + "' is not an extended key usage (" + String.join(", ",
            EXTENDED_KEY_USAGES.keySet()) + ")");
      }
      eku.add(id);
    }
    return new Profile(tenant, name, kinds, c.attestation(), keyTypes, validity, keyUsage,
        eku, names(at + ".names", c.names()), renewal(at + ".renewal", c.renewal(), validity),
        DurationText.parse(at + ".telemetry.silentAfter", c.telemetry().silentAfter()),
        methodSettings, ProfilePolicy.compile(at, c, validity),
        DurationText.parse(at + ".approval.expiresAfter", c.approval().expiresAfter()),
        dev.enroll.anomaly.AnomalySettings.compile(at, c.anomaly()));
  }

  private static Profile.Renewal renewal(String at, ProfileConfig.RenewalConfig c,
      Duration validity) {
    Duration window = c.window().isEmpty() ? validity.dividedBy(2)
        : DurationText.parse(at + ".window", c.window());
    if (window.compareTo(validity) > 0) {
      throw new ConfigException(at + ".window", "is longer than the certificate's validity ("
          + c.window() + " > " + validity + ")");
    }
    Duration grace = DurationText.parseOrNull(c.gracePeriod());
    if (grace == null || grace.isNegative()) {
      throw new ConfigException(at + ".gracePeriod", "'" + c.gracePeriod() + "' is not a"
          + " duration (write it like 0s, 15m, 24h or 7d)");
    }
    return new Profile.Renewal(window, grace, c.revokeOnRenew(), c.allowNameChange());
  }

  private static NamePolicy names(String at, ProfileConfig.NamesConfig c) {
    NamePolicy.SubjectSource source;
    switch (c.subject()) {
      case "csr":
        source = NamePolicy.SubjectSource.CSR;
        break;
      case "externalId":
        source = NamePolicy.SubjectSource.EXTERNAL_ID;
        break;
      default:
        throw new ConfigException(at + ".subject", "'" + c.subject()
            + "' is neither csr nor externalId");
    }
    Set<ASN1ObjectIdentifier> attributes = new HashSet<>();
    for (String attribute : c.subjectAttributes()) {
      ASN1ObjectIdentifier oid;
      try {
        oid = BCStyle.INSTANCE.attrNameToOID(attribute);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(at + ".subjectAttributes", "'" + attribute
            + "' is not a distinguished-name attribute (such as CN, O, OU, C)");
      }
      attributes.add(oid);
    }
    if (c.maxNames() < 0 || c.maxNames() > 1000) {
      throw new ConfigException(at + ".maxNames", "must be between 0 and 1000");
    }
    List<IpRange> ranges = new ArrayList<>();
    for (String cidr : c.ip()) {
      try {
        ranges.add(IpRange.parse(cidr));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(at + ".ip", e.getMessage());
      }
    }
    return new NamePolicy(source, attributes, patterns(c.commonName(), true),
        patterns(c.dns(), true), patterns(c.uri(), false), patterns(c.email(), true), ranges,
        c.maxNames());
  }

  private static List<NamePattern> patterns(List<String> texts, boolean ignoreCase) {
    return texts.stream().map(t -> NamePattern.of(t, ignoreCase)).toList();
  }

  private static void checkName(String key, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(key, "'" + name + "' is not a valid name (lower-case letters,"
          + " digits and hyphens, at most 63)");
    }
  }
}
