package dev.enroll.attestation.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.enroll.attestation.AttestationRequest;
import dev.enroll.attestation.Attestor;
import dev.enroll.attestation.Claims;
import dev.enroll.attestation.VerifiedAttestation;
import dev.enroll.authority.Secrets;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attestation by a JWT from a trusted issuer: a Kubernetes service-account token, a CI
 * system's OIDC token, any OpenID Connect ID token.
 *
 * <p>The token must be signed (never {@code alg: none}) with an algorithm the issuer allows
 * (only asymmetric ones can be allowed, so a public key can never serve as an HMAC secret),
 * by a key of the issuer's key set; {@code aud} must name one of the profile's audiences;
 * {@code exp}, {@code nbf} and {@code iat} hold with 60 seconds of leeway; the claim the
 * profile names must equal the subject's external id; and the token is accepted once (its
 * {@code jti}, or the whole token when it has none, is spent in the issuing transaction).
 */
public final class JwtAttestor implements Attestor {
  private static final Logger LOG = LoggerFactory.getLogger(JwtAttestor.class);
  private static final Duration LEEWAY = Duration.ofSeconds(60);
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Store store;
  private final Clock clock;
  private final IssuerKeys keys = new IssuerKeys();
  private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

  /**
   * A JWT attestor.
   *
   * @param store where spent token ids are kept
   * @param clock the clock
   */
  public JwtAttestor(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public String method() {
    return JwtSettings.METHOD;
  }

  @Override
  public VerifiedAttestation attest(AttestationRequest request) {
    JwtSettings settings = request.profile().settings(JwtSettings.METHOD, JwtSettings.class);
    String text = tokenText(request.evidence().get("token"));
    SignedJWT jwt = signed(text);
    JWTClaimsSet claims = claims(jwt);

    // Who signed it, and with what.
    JwtSettings.Issuer issuer = settings.issuers().get(claims.getIssuer());
    if (issuer == null) {
      throw new EnrollException(ProblemType.JWT_ISSUER_UNKNOWN,
          "the token's issuer is not trusted by this profile");
    }
    JWSHeader header = jwt.getHeader();
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw new EnrollException(ProblemType.JWT_MALFORMED, "the token names critical header"
          + " parameters (crit) Enroll does not understand");
    }
    if (!issuer.algorithms().contains(header.getAlgorithm())) {
      throw new EnrollException(ProblemType.JWT_ALGORITHM_NOT_ALLOWED, "the token is signed"
          + " with " + header.getAlgorithm() + "; this issuer is trusted for "
          + issuer.algorithms());
    }
    verifySignature(jwt, issuer);

    // What it says.
    Instant now = request.now();
    Instant expiry = checkTimes(claims, settings, now);
    checkAudience(claims, settings);
    String boundTo = claimText(claims, settings.externalIdClaim());
    if (boundTo == null || !boundTo.equals(request.externalId())) {
      throw new EnrollException(ProblemType.JWT_SUBJECT_MISMATCH, "the token's "
          + settings.externalIdClaim() + " claim does not equal subject.externalId");
    }

    // Once only.
    String spentKey = Secrets.hash(claims.getIssuer() + "\n" + (claims.getJWTID() != null
        ? "jti:" + claims.getJWTID() : "token:" + Secrets.hash(text)));
    if (store.transact(tx -> tx.evidence().spent(JwtSettings.METHOD, spentKey))) {
      throw replayed();
    }
    Instant keepUntil = expiry.plus(LEEWAY);
    return new VerifiedAttestation(JwtSettings.METHOD, audited(claims, header),
        policyClaims(claims, settings), true, (tx, requestId) -> {
      if (!tx.evidence().spend(JwtSettings.METHOD, spentKey, keepUntil, clock.instant())) {
        throw replayed();
      }
    });
  }

  private static String tokenText(Object token) {
    if (!(token instanceof String) || ((String) token).isEmpty()) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "attestation of type jwt needs a string field 'token'");
    }
    String text = (String) token;
    if (text.length() > MAX_TOKEN_LENGTH) {
      throw new EnrollException(ProblemType.JWT_MALFORMED,
          "the token is longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    return text;
  }

  private static SignedJWT signed(String text) {
    JWT parsed;
    try {
      parsed = JWTParser.parse(text);
    } catch (ParseException e) {
      throw new EnrollException(ProblemType.JWT_MALFORMED,
          "the token is not a JWT in compact form (RFC 7519)");
    }
    if (parsed instanceof PlainJWT) {
      throw new EnrollException(ProblemType.JWT_ALGORITHM_NOT_ALLOWED,
          "the token is unsigned (alg: none); only signed tokens are accepted");
    }
    if (!(parsed instanceof SignedJWT)) {
      throw new EnrollException(ProblemType.JWT_MALFORMED,
          "the token is encrypted; only signed tokens are accepted");
    }
    return (SignedJWT) parsed;
  }

  private static JWTClaimsSet claims(SignedJWT jwt) {
    try {
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (claims.getIssuer() == null) {
        throw new EnrollException(ProblemType.JWT_MALFORMED, "the token has no iss claim");
      }
      return claims;
    } catch (ParseException e) {
      throw new EnrollException(ProblemType.JWT_MALFORMED,
          "the token's claims are not a JSON object of registered claim types");
    }
  }

  private void verifySignature(SignedJWT jwt, JwtSettings.Issuer issuer) {
    List<? extends Key> candidates;
    try {
      JWKSource<SecurityContext> source = keys.of(issuer);
      candidates = new JWSVerificationKeySelector<>(issuer.algorithms(), source)
          .selectJWSKeys(jwt.getHeader(), null);
    } catch (RateLimitReachedException e) {
      throw keys.failing(issuer) ? unavailable() : unknownKey(jwt);
    } catch (KeySourceException e) {
      LOG.atWarn().addKeyValue("issuer", issuer.issuer())
          .addKeyValue("jwksUri", issuer.jwksUri() == null ? "discovery" : issuer.jwksUri())
          .addKeyValue("cause", e.getMessage())
          .log("issuer key set unavailable");
      throw unavailable();
    }
    if (candidates.isEmpty()) {
      throw keys.failing(issuer) ? unavailable() : unknownKey(jwt);
    }
    for (Key key : candidates) {
      try {
        JWSVerifier verifier = verifiers.createJWSVerifier(jwt.getHeader(), key);
        if (jwt.verify(verifier)) {
          return;
        }
      } catch (JOSEException e) {
        // A key that cannot verify this header is no match; the next may be.
      }
    }
    throw new EnrollException(ProblemType.JWT_SIGNATURE_INVALID,
        "the token's signature does not verify with the issuer's key");
  }

  private static EnrollException unavailable() {
    return new EnrollException(ProblemType.JWKS_UNAVAILABLE,
        "the issuer's key set cannot be fetched now; try again later")
        .with("retryAfterSeconds", 30);
  }

  private static EnrollException unknownKey(SignedJWT jwt) {
    return new EnrollException(ProblemType.JWT_KEY_UNKNOWN, jwt.getHeader().getKeyID() == null
        ? "the token names no key (kid) and no key of the issuer fits it"
        : "the issuer's key set has no key with the token's kid");
  }

  private static Instant checkTimes(JWTClaimsSet claims, JwtSettings settings, Instant now) {
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new EnrollException(ProblemType.JWT_MALFORMED, "the token has no exp claim");
    }
    if (now.isAfter(exp.toInstant().plus(LEEWAY))) {
      throw new EnrollException(ProblemType.JWT_EXPIRED,
          "the token expired at " + exp.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant().minus(LEEWAY))) {
      throw new EnrollException(ProblemType.JWT_NOT_YET_VALID,
          "the token is not valid before " + nbf.toInstant());
    }
    Date iat = claims.getIssueTime();
    if (iat != null && now.isBefore(iat.toInstant().minus(LEEWAY))) {
      throw new EnrollException(ProblemType.JWT_NOT_YET_VALID,
          "the token is issued in the future (" + iat.toInstant() + ")");
    }
    if (settings.maxTokenAge() != null) {
      if (iat == null) {
        throw new EnrollException(ProblemType.JWT_MALFORMED,
            "the token has no iat claim, and this profile limits a token's age");
      }
      if (now.isAfter(iat.toInstant().plus(settings.maxTokenAge()).plus(LEEWAY))) {
        throw new EnrollException(ProblemType.JWT_TOO_OLD, "the token was issued at "
            + iat.toInstant() + "; this profile accepts tokens up to "
            + settings.maxTokenAge() + " old");
      }
    }
    return exp.toInstant();
  }

  private static void checkAudience(JWTClaimsSet claims, JwtSettings settings) {
    List<String> audience = claims.getAudience();
    if (audience.stream().noneMatch(settings.audiences()::contains)) {
      throw new EnrollException(ProblemType.JWT_AUDIENCE_MISMATCH,
          "the token is not meant for this profile (aud must name one of "
              + settings.audienceList() + ")");
    }
  }

  private static String claimText(JWTClaimsSet claims, com.fasterxml.jackson.core.JsonPointer at) {
    JsonNode value = JSON.valueToTree(claims.toJSONObject()).at(at);
    return value.isTextual() || value.isNumber() ? value.asText() : null;
  }

  /** What the audit event keeps: who issued the token to whom, never the token. */
  private static Map<String, Object> audited(JWTClaimsSet claims, JWSHeader header) {
    Map<String, Object> audited = new LinkedHashMap<>();
    audited.put("jwt.iss", claims.getIssuer());
    if (claims.getSubject() != null) {
      audited.put("jwt.sub", claims.getSubject());
    }
    if (claims.getJWTID() != null) {
      audited.put("jwt.jti", claims.getJWTID());
    }
    if (header.getKeyID() != null) {
      audited.put("jwt.kid", header.getKeyID());
    }
    JWSAlgorithm algorithm = header.getAlgorithm();
    audited.put("jwt.alg", algorithm.getName());
    return audited;
  }

  /** The token's claims for the policy, with the profile's named claims beside them. */
  private static Map<String, Object> policyClaims(JWTClaimsSet claims, JwtSettings settings) {
    Map<String, Object> all = new LinkedHashMap<>(claims.toJSONObject());
    JsonNode tree = JSON.valueToTree(all);
    settings.claims().forEach((name, pointer) -> {
      JsonNode value = tree.at(pointer);
      if (value.isMissingNode() || value.isNull()) {
        return;
      }
      // A named claim is one value: a list or object where a policy compares a string would
      // compare unequal and slip past a deny rule.
      if (!value.isValueNode()) {
        throw new EnrollException(ProblemType.JWT_MALFORMED, "the token's " + pointer
            + " claim is a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
            + "; the profile names it '" + name + "' and takes a string, number or boolean");
      }
      all.put(name, JSON.convertValue(value, Object.class));
    });
    return Claims.normalize(all);
  }

  private static EnrollException replayed() {
    return new EnrollException(ProblemType.JWT_REPLAYED,
        "the token was used before; a token enrolls once");
  }
}
