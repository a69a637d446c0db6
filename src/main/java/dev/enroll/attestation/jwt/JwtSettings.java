package dev.enroll.attestation.jwt;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import dev.enroll.config.ConfigException;
import dev.enroll.config.DurationText;
import dev.enroll.config.ProfileConfig;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A profile's JWT attestation, compiled: the trusted issuers by {@code iss}, the audiences,
 * the oldest token accepted, and where the policy's claims come from.
 *
 * @param issuers the trusted issuers by their {@code iss} value
 * @param audiences a token's {@code aud} must name one of these
 * @param maxTokenAge the oldest {@code iat} accepted, or null for no limit
 * @param externalIdClaim the claim that must equal the subject's external id
 * @param claims named claims for the policy
 */
public record JwtSettings(
    Map<String, Issuer> issuers,
    Set<String> audiences,
    Duration maxTokenAge,
    JsonPointer externalIdClaim,
    Map<String, JsonPointer> claims) {
  /** The method name. */
  public static final String METHOD = "jwt";

  /** Algorithms that can be allowed: asymmetric signatures only. */
  static final Set<JWSAlgorithm> ASYMMETRIC = Set.copyOf(new LinkedHashSet<JWSAlgorithm>() {
    {
      addAll(JWSAlgorithm.Family.RSA);
      addAll(JWSAlgorithm.Family.EC);
      addAll(JWSAlgorithm.Family.ED);
    }
  });

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the collections so the record stays immutable. */
  public JwtSettings {
    issuers = Map.copyOf(issuers);
    audiences = Set.copyOf(audiences);
    claims = Map.copyOf(claims);
  }

  /**
   * One trusted issuer.
   *
   * @param issuer its {@code iss}
   * @param jwksUri where its key set is fetched, or null
   * @param jwks its key set written inline, or null
   * @param algorithms the accepted signature algorithms
   * @param minRefreshInterval the least time between two fetches of the key set
   */
  public record Issuer(
      String issuer, URI jwksUri, JWKSet jwks, Set<JWSAlgorithm> algorithms,
      Duration minRefreshInterval) {
    /** Copies the set so the record stays immutable. */
    public Issuer {
      algorithms = Set.copyOf(algorithms);
    }

    /** Whether the keys come from OpenID Connect discovery at the issuer. */
    public boolean discovery() {
      return jwksUri == null && jwks == null;
    }
  }

  /**
   * Compiles a profile's {@code jwt} section.
   *
   * @param at the profile's key
   * @param profile the profile as written
   * @return the settings
   * @throws ConfigException naming the key of a wrong value
   */
  public static JwtSettings compile(String at, ProfileConfig profile) {
    String key = at + ".jwt";
    ProfileConfig.JwtConfig c = profile.jwt();
    if (c == null || c.issuers().isEmpty()) {
      throw new ConfigException(key + ".issuers", "attestation by jwt needs at least one"
          + " trusted issuer");
    }
    if (c.audiences().isEmpty()) {
      throw new ConfigException(key + ".audiences", "attestation by jwt needs at least one"
          + " audience, so that a token meant for another service is refused");
    }
    Map<String, Issuer> issuers = new LinkedHashMap<>();
    for (int i = 0; i < c.issuers().size(); i++) {
      Issuer issuer = issuer(key + ".issuers[" + i + "]", c.issuers().get(i));
      if (issuers.putIfAbsent(issuer.issuer(), issuer) != null) {
        throw new ConfigException(key + ".issuers[" + i + "].issuer", "'" + issuer.issuer()
            + "' is listed twice");
      }
    }
    Duration maxAge = c.maxTokenAge().isEmpty() ? null
        : DurationText.parse(key + ".maxTokenAge", c.maxTokenAge());
    Map<String, JsonPointer> claims = new LinkedHashMap<>();
    c.claims().forEach((name, pointer) ->
        claims.put(name, pointer(key + ".claims." + name, pointer)));
    return new JwtSettings(issuers, new LinkedHashSet<>(c.audiences()), maxAge,
        pointer(key + ".externalIdClaim", c.externalIdClaim()), claims);
  }

  private static Issuer issuer(String at, ProfileConfig.JwtIssuerConfig c) {
    if (c == null || c.issuer() == null || c.issuer().isBlank()) {
      throw new ConfigException(at + ".issuer", "an issuer needs its iss value");
    }
    Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
    for (String name : c.algorithms()) {
      JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
      if (!ASYMMETRIC.contains(algorithm)) {
        throw new ConfigException(at + ".algorithms", "'" + name + "' is not allowed: only"
            + " asymmetric signature algorithms (RS256, PS256, ES256, EdDSA, ...) can be, never"
            + " none or an HMAC algorithm");
      }
      algorithms.add(algorithm);
    }
    if (algorithms.isEmpty()) {
      throw new ConfigException(at + ".algorithms", "at least one algorithm is required");
    }
    URI jwksUri = null;
    if (!c.jwksUri().isEmpty()) {
      jwksUri = secureUri(at + ".jwksUri", c.jwksUri());
    }
    JWKSet jwks = null;
    if (c.jwks() != null) {
      if (jwksUri != null) {
        throw new ConfigException(at + ".jwks", "give jwks or jwksUri, not both");
      }
      jwks = inline(at + ".jwks", c.jwks());
    }
    if (jwksUri == null && jwks == null) {
      // Discovery: the issuer itself must be an https URL (or on loopback, for tests).
      secureUri(at + ".issuer", c.issuer());
    }
    Duration interval = DurationText.parse(at + ".jwksMinRefreshInterval",
        c.jwksMinRefreshInterval());
    return new Issuer(c.issuer(), jwksUri, jwks, algorithms, interval);
  }

  private static JWKSet inline(String at, Object jwks) {
    try {
      String text = jwks instanceof String ? (String) jwks : JSON.writeValueAsString(jwks);
      JWKSet set = JWKSet.parse(text);
      if (set.getKeys().isEmpty()) {
        throw new ConfigException(at, "the key set holds no key");
      }
      if (set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
        throw new ConfigException(at, "the key set holds a private key; give public keys only");
      }
      return set.toPublicJWKSet();
    } catch (java.text.ParseException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(at, "is not a JSON Web Key Set (RFC 7517)");
    }
  }

  /** An https URL, or http on a loopback host (a local issuer, tests). */
  static URI secureUri(String at, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(at, "'" + text + "' is not a URL");
    }
    String host = uri.getHost();
    boolean loopback = "localhost".equals(host) || "127.0.0.1".equals(host)
        || "[::1]".equals(host);
    if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
      throw new ConfigException(at, "'" + text + "' must be an https URL (plain http only on"
          + " a loopback host): keys fetched in the clear could be forged");
    }
    return uri;
  }

  private static JsonPointer pointer(String at, String text) {
    try {
      JsonPointer pointer = JsonPointer.compile(text);
      if (pointer.matches()) {
        throw new ConfigException(at, "names the whole token; name one claim, such as /sub");
      }
      return pointer;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at, "'" + text + "' is not a JSON pointer (RFC 6901), such as"
          + " /sub or /kubernetes.io/namespace");
    }
  }

  /** The audiences as a list, for messages. */
  List<String> audienceList() {
    return List.copyOf(audiences);
  }
}
