package dev.enroll.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration file, as written by the operator.
 *
 * <p>Values are kept as written; {@link dev.enroll.profile.ProfileCatalog} and the server
 * turn them into checked domain objects, reporting the key of any value that is wrong.
 *
 * @param server network settings
 * @param ca the certificate authority's settings
 * @param store where records are kept
 * @param audit the audit chain's checkpoints
 * @param lifecycle the background sweeps: expiry and the purge of offboarded subjects
 * @param revocation how long CRLs and OCSP responses are valid
 * @param slo the service-level objectives {@code GET /v1/slo} reports against
 * @param tenants tenants by name
 */
public record EnrollConfig(
    Server server, Ca ca, Store store, Audit audit, Lifecycle lifecycle,
    Revocation revocation, Slo slo, Map<String, TenantConfig> tenants) {

  /** Fills in defaults for sections the file leaves out. */
  public EnrollConfig {
    server = server == null ? new Server(null, null, null) : server;
    ca = ca == null ? new Ca(null, null, null, null, null) : ca;
    store = store == null ? new Store(null, null, null) : store;
    audit = audit == null ? new Audit(null, null) : audit;
    lifecycle = lifecycle == null ? new Lifecycle(null, null) : lifecycle;
    revocation = revocation == null ? new Revocation(null, null) : revocation;
    slo = slo == null ? new Slo(null, null, null) : slo;
    tenants = tenants == null ? new LinkedHashMap<>() : tenants;
  }

  /**
   * Network settings.
   *
   * @param bind the address both ports listen on
   * @param hostnames names the server's TLS certificate carries besides localhost
   * @param publicHttpUrl base URL of the plain HTTP port as relying parties reach it; written
   *     into certificates for CRL and OCSP. Empty: {@code http://<first hostname>:<port>}
   */
  public record Server(String bind, List<String> hostnames, String publicHttpUrl) {
    /** Fills in defaults. */
    public Server {
      bind = bind == null ? "0.0.0.0" : bind;
      hostnames = hostnames == null ? List.of("localhost") : List.copyOf(hostnames);
      publicHttpUrl = publicHttpUrl == null ? "" : publicHttpUrl;
    }
  }

  /**
   * Certificate authority settings, used when the CA is first created.
   *
   * @param name the name written into the CA certificates' subjects
   * @param keyType key type of the root and issuing CA
   * @param rootValidity lifetime of the root certificate
   * @param issuingValidity lifetime of the issuing CA certificate
   * @param backdate how far {@code notBefore} is set in the past, for clock skew
   */
  public record Ca(
      String name, String keyType, String rootValidity, String issuingValidity,
      String backdate) {
    /** Fills in defaults. */
    public Ca {
      name = name == null ? "Enroll" : name;
      keyType = keyType == null ? "P-256" : keyType;
      rootValidity = rootValidity == null ? "3650d" : rootValidity;
      issuingValidity = issuingValidity == null ? "1825d" : issuingValidity;
      backdate = backdate == null ? "60s" : backdate;
    }
  }

  /**
   * Where records are kept.
   *
   * @param url a JDBC URL; empty for the embedded database in the data directory
   * @param poolSize the maximum number of pooled connections
   * @param statementTimeout the longest one statement may run (PostgreSQL; default 5s)
   */
  public record Store(String url, Integer poolSize, String statementTimeout) {
    /** Fills in defaults. */
    public Store {
      url = url == null ? "" : url;
      poolSize = poolSize == null ? 10 : poolSize;
      statementTimeout = statementTimeout == null ? "5s" : statementTimeout;
    }
  }

  /**
   * The audit chain's checkpoints.
   *
   * @param checkpointEvents sign a checkpoint after this many events (default 1000)
   * @param checkpointInterval or this long after the last, when events came (default 60s)
   */
  public record Audit(Integer checkpointEvents, String checkpointInterval) {
    /** Fills in defaults. */
    public Audit {
      checkpointEvents = checkpointEvents == null ? 1000 : checkpointEvents;
      checkpointInterval = checkpointInterval == null ? "60s" : checkpointInterval;
    }
  }

  /**
   * The background sweeps.
   *
   * @param sweepInterval how often credentials past {@code notAfter} are marked expired and
   *     offboarded subjects past retention are purged (default 60s)
   * @param offboardRetention how long an offboarded subject's attributes are kept
   *     (default 30d)
   */
  public record Lifecycle(String sweepInterval, String offboardRetention) {
    /** Fills in defaults. */
    public Lifecycle {
      sweepInterval = sweepInterval == null ? "60s" : sweepInterval;
      offboardRetention = offboardRetention == null ? "30d" : offboardRetention;
    }
  }

  /**
   * Revocation information for relying parties.
   *
   * @param crlValidity from a CRL's thisUpdate to its nextUpdate (default 24h); a new one is
   *     published at half of it even when nothing changed, and within a second of a change
   * @param ocspValidity from an OCSP response's thisUpdate to its nextUpdate (default 5m)
   */
  public record Revocation(String crlValidity, String ocspValidity) {
    /** Fills in defaults. */
    public Revocation {
      crlValidity = crlValidity == null ? "24h" : crlValidity;
      ocspValidity = ocspValidity == null ? "5m" : ocspValidity;
    }
  }

  /**
   * One tenant.
   *
   * @param profiles the tenant's enrollment profiles by name
   */
  public record TenantConfig(Map<String, ProfileConfig> profiles) {
    /** Fills in defaults. */
    public TenantConfig {
      profiles = profiles == null ? new LinkedHashMap<>() : profiles;
    }
  }

  /**
   * Service-level objectives, as {@code GET /v1/slo} computes them (the Prometheus rules in
   * {@code deploy/prometheus} carry the same targets).
   *
   * @param window the window the objectives hold over (default 30d)
   * @param successTarget the share of automated enrollments that must succeed (0.999)
   * @param latencyTarget the time to enroll 95% of them must stay under (default 1s)
   */
  public record Slo(String window, Double successTarget, String latencyTarget) {
    /** Fills in defaults. */
    public Slo {
      window = window == null ? "30d" : window;
      successTarget = successTarget == null ? 0.999 : successTarget;
      latencyTarget = latencyTarget == null ? "1s" : latencyTarget;
    }
  }
}
