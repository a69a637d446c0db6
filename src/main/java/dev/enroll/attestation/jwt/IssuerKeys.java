package dev.enroll.attestation.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import dev.enroll.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key sources of trusted issuers, kept across configuration reloads so that a reload
 * does not refetch every key set. A fetched key set is cached (five minutes), fetched again
 * when a token names a key it lacks, and never more often than the issuer's
 * {@code jwksMinRefreshInterval}: a flood of tokens with made-up key ids cannot turn Enroll
 * into a flood against the issuer.
 */
final class IssuerKeys {
  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final int READ_TIMEOUT_MS = 2_000;
  private static final int SIZE_LIMIT = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, JWKSource<SecurityContext>> sources =
      new ConcurrentHashMap<>();
  private final Map<String, Boolean> lastFetchFailed = new ConcurrentHashMap<>();
  private final Map<String, String> jwksUris = new ConcurrentHashMap<>();
  private final ResourceRetriever http =
      new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, SIZE_LIMIT);
  private final ResourceRetriever retriever = url -> {
    try {
      Resource resource = http.retrieveResource(url);
      lastFetchFailed.put(url.toString(), false);
      return resource;
    } catch (IOException e) {
      lastFetchFailed.put(url.toString(), true);
      throw e;
    }
  };

  /**
   * Whether the issuer's last key set fetch failed: a refusal for an unknown key is then
   * the issuer's outage, not the token's fault.
   *
   * @param issuer the issuer
   * @return true when the last fetch of its key set failed
   */
  boolean failing(JwtSettings.Issuer issuer) {
    String uri = issuer.jwksUri() != null ? issuer.jwksUri().toString()
        : jwksUris.get(issuer.issuer());
    return uri != null && lastFetchFailed.getOrDefault(uri, false);
  }

  /**
   * The key source of an issuer.
   *
   * @param issuer the issuer's settings
   * @return its keys
   * @throws KeySourceException when discovery fails
   */
  JWKSource<SecurityContext> of(JwtSettings.Issuer issuer) throws KeySourceException {
    if (issuer.jwks() != null) {
      return new ImmutableJWKSet<>(issuer.jwks());
    }
    String key = issuer.issuer() + " " + issuer.jwksUri() + " " + issuer.minRefreshInterval();
    JWKSource<SecurityContext> source = sources.get(key);
    if (source != null) {
      return source;
    }
    URI uri = issuer.jwksUri() != null ? issuer.jwksUri() : discover(issuer.issuer());
    jwksUris.put(issuer.issuer(), uri.toString());
    source = JWKSourceBuilder.<SecurityContext>create(url(uri), retriever)
        .retrying(false)
        .rateLimited(issuer.minRefreshInterval().toMillis())
        .build();
    JWKSource<SecurityContext> raced = sources.putIfAbsent(key, source);
    return raced != null ? raced : source;
  }

  /** OpenID Connect discovery (OpenID Connect Discovery 1.0, section 4): the jwks_uri. */
  private URI discover(String issuer) throws KeySourceException {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    URI metadata = URI.create(base + "/.well-known/openid-configuration");
    try {
      Resource resource = retriever.retrieveResource(url(metadata));
      JsonNode document = JSON.readTree(resource.getContent());
      if (!issuer.equals(document.path("issuer").asText())) {
        throw new KeySourceException("the discovery document names another issuer");
      }
      String jwksUri = document.path("jwks_uri").asText("");
      return JwtSettings.secureUri("jwks_uri", jwksUri);
    } catch (IOException e) {
      throw new KeySourceException("OpenID Connect discovery failed: " + e.getMessage(), e);
    } catch (ConfigException e) {
      throw new KeySourceException("the discovery document's jwks_uri is not usable", e);
    }
  }

  private static URL url(URI uri) throws KeySourceException {
    try {
      return uri.toURL();
    } catch (java.net.MalformedURLException e) {
      throw new KeySourceException("not a URL: " + uri, e);
    }
  }
}
