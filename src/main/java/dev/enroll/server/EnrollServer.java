package dev.enroll.server;

import dev.enroll.admin.AdminKeys;
import dev.enroll.anomaly.Anomalies;
import dev.enroll.approval.ApprovalService;
import dev.enroll.attestation.AttestationMethods;
import dev.enroll.attestation.AttestorRegistry;
import dev.enroll.attestation.token.JoinTokens;
import dev.enroll.attestation.Nonces;
import dev.enroll.attestation.jwt.JwtAttestor;
import dev.enroll.attestation.symmetric.GroupKeyCipher;
import dev.enroll.attestation.symmetric.GroupKeys;
import dev.enroll.attestation.symmetric.SymmetricKeyAttestor;
import dev.enroll.attestation.x509.DeviceCertificateAttestor;
import dev.enroll.attestation.token.TokenAttestor;
import dev.enroll.audit.AuditChainer;
import dev.enroll.audit.AuditEvent;
import dev.enroll.audit.AuditKey;
import dev.enroll.authority.AuthorityFiles;
import dev.enroll.authority.AuthorityKeys;
import dev.enroll.authority.CertificateAuthority;
import dev.enroll.authority.CertificationRequestCheck;
import dev.enroll.authority.CryptoProviders;
import dev.enroll.authority.KeyFiles;
import dev.enroll.authority.Passphrase;
import dev.enroll.authority.ServerCertificate;
import dev.enroll.config.ConfigException;
import dev.enroll.config.ConfigLoader;
import dev.enroll.config.DurationText;
import dev.enroll.config.EnrollConfig;
import dev.enroll.enrollment.EnrollmentService;
import dev.enroll.http.AdminEndpoints;
import dev.enroll.http.ApprovalEndpoints;
import dev.enroll.http.AnomalyEndpoints;
import dev.enroll.http.GroupEndpoints;
import dev.enroll.http.SloEndpoints;
import dev.enroll.http.AuditEndpoints;
import dev.enroll.http.LifecycleEndpoints;
import dev.enroll.http.RevocationEndpoints;
import dev.enroll.http.RenewalEndpoints;
import dev.enroll.authority.SignerGuard;
import dev.enroll.enrollment.IssuanceWorker;
import dev.enroll.lifecycle.Heartbeats;
import dev.enroll.lifecycle.Lifecycle;
import dev.enroll.observe.MicrometerAnomalyMetrics;
import dev.enroll.observe.MicrometerPolicyMetrics;
import dev.enroll.observe.ServiceLevels;
import dev.enroll.observe.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import dev.enroll.observe.MicrometerQueueMetrics;
import dev.enroll.observe.MicrometerSignerMetrics;
import dev.enroll.observe.MicrometerStoreMetrics;
import dev.enroll.lifecycle.RenewalService;
import dev.enroll.lifecycle.RevocationListener;
import dev.enroll.lifecycle.Sweeper;
import dev.enroll.observe.MicrometerLifecycleMetrics;
import dev.enroll.observe.MicrometerRevocationMetrics;
import dev.enroll.authority.CrlPublisher;
import dev.enroll.authority.OcspResponder;
import java.time.Duration;
import dev.enroll.http.Bodies;
import dev.enroll.http.EnrollmentEndpoints;
import dev.enroll.http.HttpServers;
import dev.enroll.http.Json;
import dev.enroll.http.PlainEndpoints;
import dev.enroll.observe.Metrics;
import dev.enroll.observe.MicrometerAuditMetrics;
import dev.enroll.observe.MicrometerEnrollmentMetrics;
import dev.enroll.profile.ProfileCatalog;
import dev.enroll.store.Store;
import dev.enroll.subject.SubjectTransition;
import dev.enroll.store.jdbc.JdbcStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Enroll process: configuration, CA, store, services and both HTTP ports, wired
 * together. Starting it on an empty data directory creates the CA, the server's TLS
 * certificate and the bootstrap admin key.
 */
public final class EnrollServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EnrollServer.class);
  private static final int H2_DATABASE_IN_USE = 90020;

  /** The attestation methods wired below, for checking profiles before the store opens. */
  private static final AttestationMethods ATTESTATION_METHODS = AttestationMethods.standard();

  private final Options options;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Runnable> beforeDrain = new ArrayList<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private CertificateAuthority authority;
  private HttpServers http;
  private Store store;
  private Optional<String> bootstrapKey = Optional.empty();
  private boolean started;

  /**
   * How to start.
   *
   * @param dataDirectory the data directory
   * @param configFile the configuration file, or null for the bundled sample
   * @param httpsPort the API port; 0 for any free port
   * @param httpPort the plain port; 0 for any free port
   * @param bind the address to listen on, or null for the configuration's
   * @param clock the clock
   * @param environment the process environment (the key passphrase, {@code OTEL_*})
   * @param openTelemetry where spans go; null for what the environment's {@code OTEL_*}
   *     variables say (off unless they ask)
   */
  public record Options(
      Path dataDirectory, Path configFile, int httpsPort, int httpPort, String bind,
      Clock clock, Map<String, String> environment, OpenTelemetry openTelemetry) {

    /** Options whose tracing the environment's {@code OTEL_*} variables decide. */
    public Options(Path dataDirectory, Path configFile, int httpsPort, int httpPort,
        String bind, Clock clock, Map<String, String> environment) {
      this(dataDirectory, configFile, httpsPort, httpPort, bind, clock, environment, null);
    }
  }

  private EnrollServer(Options options) {
    this.options = options;
  }

  /**
   * Starts a server.
   *
   * @param options how to start
   * @return the running server
   * @throws ConfigException when the configuration is wrong
   */
  public static EnrollServer start(Options options) {
    EnrollServer server = new EnrollServer(options);
    try {
      server.open();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void open() {
    // Configuration: the file, or the sample.
    ConfigLoader loader = new ConfigLoader();
    String source = options.configFile() == null
        ? ConfigLoader.SAMPLE : options.configFile().toString();
    EnrollConfig config = options.configFile() == null
        ? loader.loadSample() : loader.load(options.configFile());
    Clock clock = options.clock();

    // Everything the configuration says is checked before anything is created.
    try {
      ProfileCatalog.compile(config, ATTESTATION_METHODS);
    } catch (ConfigException e) {
      throw e.in(source);
    }
    ServerSettings settings = ServerSettings.check(config, source);
    String bind = options.bind() != null ? options.bind() : config.server().bind();
    checkPortFree(bind, options.httpsPort(), "--https-port");
    checkPortFree(bind, options.httpPort(), "--http-port");
    CryptoProviders providers = CryptoProviders.get();
    Metrics metrics = new Metrics();
    resources.add(metrics);

    // Data directory, keys at rest.
    Path data = options.dataDirectory();
    createPrivateDirectory(data);
    char[] passphrase = Passphrase.resolve(options.environment().get(Passphrase.ENVIRONMENT),
        data.resolve("ca").resolve("passphrase"));
    KeyFiles keyFiles = new KeyFiles(passphrase, providers);

    // Store.
    JdbcStore opened = openStore(config, data);
    store = opened;
    resources.add(store);
    opened.embeddedFile().ifPresent(file -> MicrometerStoreMetrics.register(
        metrics.registry(), file::bytes, file::liveRatio));

    // Profiles, checked before anything is created.
    Store theStore = store;
    AtomicReference<ProfileCatalog> catalog = new AtomicReference<>();
    Supplier<ProfileCatalog> profiles = catalog::get;
    Nonces nonces = new Nonces(store, clock, tenant -> profiles.get().hasTenant(tenant));
    GroupKeys groupKeys = new GroupKeys(store, profiles, new GroupKeyCipher(passphrase), clock);
    AttestorRegistry attestors = new AttestorRegistry(List.of(new TokenAttestor(store, clock),
        new JwtAttestor(store, clock), new DeviceCertificateAttestor(nonces),
        new SymmetricKeyAttestor(groupKeys, nonces)));
    try {
      catalog.set(ProfileCatalog.compile(config, ATTESTATION_METHODS));
    } catch (ConfigException e) {
      throw e.in(source);
    }

    // Certificate authority.
    int httpsPort = portOrFree(options.httpsPort());
    int httpPort = portOrFree(options.httpPort());
    AuthorityFiles caFiles = new AuthorityFiles(data.resolve("ca"), keyFiles, providers, clock);
    boolean created = !caFiles.exists();
    AuthorityKeys keys = caFiles.openOrCreate(settings.ca());
    String httpBase = config.server().publicHttpUrl().isEmpty()
        ? "http://" + config.server().hostnames().get(0) + ":" + httpPort
        : config.server().publicHttpUrl();
    String faultSwitch = options.environment().get("ENROLL_SIGNER_FAULT_FILE");
    SignerGuard signer = new SignerGuard(faultSwitch == null || faultSwitch.isBlank() ? null
        : Path.of(faultSwitch), new MicrometerSignerMetrics(metrics.registry()));
    authority = new CertificateAuthority(keys, providers, clock,
        DurationText.parse("ca.backdate", config.ca().backdate()), httpBase, signer);
    LOG.atInfo().addKeyValue("sha256", authority.rootFingerprint())
        .addKeyValue("provider", providers.signingProviderName())
        .log("root CA certificate fingerprint");
    auditStart(created, source);

    // Profiles reload when the file changes, on SIGHUP, or when another node shares a change.
    if (options.configFile() != null) {
      ConfigReload reload = new ConfigReload(options.configFile(), ATTESTATION_METHODS,
          catalog, store, clock);
      reload.start(Duration.ofSeconds(1));
      resources.add(reload);
    }

    // The audit chain: its key, and the chainer that seals committed events.
    boolean auditKeyCreated = !AuditKey.exists(data.resolve("ca"));
    AuditKey auditKey = AuditKey.openOrCreate(data.resolve("ca"), keyFiles, providers);
    if (auditKeyCreated) {
      store.transact(tx -> {
        tx.audit().append(new AuditEvent(clock.instant(), "-", "system", "audit.key-created",
            "audit-key:" + auditKey.keyId(), AuditEvent.SUCCESS, null, null, Map.of()));
        return null;
      });
    }
    AuditChainer chainer = new AuditChainer(store, auditKey, new AuditChainer.Schedule(
        settings.checkpointEvents(), settings.checkpointInterval()),
        new MicrometerAuditMetrics(metrics.registry()), clock);
    chainer.start();
    resources.add(chainer);

    // The server's own TLS certificate and the bootstrap admin key.
    char[] tlsPassword = randomPassword();
    KeyStore tls = new ServerCertificate(data.resolve("tls"), keyFiles, clock)
        .loadOrIssue(authority, caFiles, config.server().hostnames(), tlsPassword);
    AdminKeys adminKeys = new AdminKeys(store, clock);
    bootstrapKey = adminKeys.bootstrap();
    bootstrapKey.ifPresent(key -> writeAdminKey(data.resolve("admin.key"), key));

    // Services and HTTP.
    MicrometerEnrollmentMetrics enrollmentMetrics =
        new MicrometerEnrollmentMetrics(metrics.registry());
    MicrometerPolicyMetrics policyMetrics = new MicrometerPolicyMetrics(metrics.registry());
    profiles.get().all().forEach(p -> policyMetrics.register(p.tenant(), p.name()));
    OpenTelemetry telemetry = options.openTelemetry() != null ? options.openTelemetry()
        : Tracing.fromEnvironment(options.environment());
    if (telemetry instanceof AutoCloseable) {
      resources.add((AutoCloseable) telemetry);
    }
    Anomalies anomalies = new Anomalies(store, clock,
        new MicrometerAnomalyMetrics(metrics.registry()));
    AtomicReference<Lifecycle> lifecycleRef = new AtomicReference<>();
    ServiceLevels serviceLevels = settings.serviceLevels(clock);
    EnrollmentService enrollments = new EnrollmentService(store, profiles, attestors,
        new CertificationRequestCheck(providers), authority,
        ServiceLevels.tee(enrollmentMetrics, serviceLevels), policyMetrics, clock)
        .traced(telemetry.getTracer(Tracing.SCOPE))
        .watching(anomalies, (subjectId, requestId) -> lifecycleRef.get().transition(
            new Lifecycle.Actor("system:anomaly", null, requestId), subjectId,
            SubjectTransition.QUARANTINE, null));
    MicrometerQueueMetrics queueMetrics = new MicrometerQueueMetrics(metrics.registry());
    IssuanceWorker issuanceQueue = new IssuanceWorker(store, profiles,
        new CertificationRequestCheck(providers), authority, queueMetrics, enrollmentMetrics,
        clock);
    issuanceQueue.start(Duration.ofSeconds(1));
    resources.add(issuanceQueue);
    ObjectMapper json = Json.mapper();
    Bodies bodies = new Bodies(json);
    EnrollmentEndpoints enrollmentEndpoints = new EnrollmentEndpoints(enrollments, bodies,
        nonces, telemetry.getPropagators().getTextMapPropagator());
    AdminEndpoints adminEndpoints = new AdminEndpoints(adminKeys,
        new JoinTokens(store, profiles, clock), store, bodies, clock, authority::chainPem);
    ApprovalService approvals = new ApprovalService(store, clock);
    ApprovalEndpoints approvalEndpoints = new ApprovalEndpoints(adminKeys, approvals, bodies);
    GroupEndpoints groupEndpoints = new GroupEndpoints(adminKeys, groupKeys, bodies);
    AnomalyEndpoints anomalyEndpoints = new AnomalyEndpoints(adminKeys, anomalies);
    SloEndpoints sloEndpoints = new SloEndpoints(adminKeys, serviceLevels);
    AuditEndpoints auditEndpoints = new AuditEndpoints(adminKeys, store);

    // Revocation: the CRL, OCSP, the feed, and the operations that feed them.
    CrlPublisher crl = new CrlPublisher(authority, store, clock, settings.crlValidity());
    crl.start();
    resources.add(crl);
    RevocationEndpoints revocationEndpoints =
        new RevocationEndpoints(crl, new OcspResponder(authority, store, clock,
            settings.ocspValidity()), store);
    beforeDrain.add(revocationEndpoints::closeStreams);
    // Revocations made on other nodes sharing the store reach this node's stream too.
    store.onAnnouncement(Lifecycle.REVOCATIONS, revocationEndpoints::publish);
    MicrometerRevocationMetrics revocationMetrics = new MicrometerRevocationMetrics(
        metrics.registry(), revocationEndpoints::openStreams);
    RevocationListener relyingParties = (changes, started) -> {
      crl.requestRebuild();
      revocationEndpoints.publish();
      revocationMetrics.propagated(changes.size(), System.nanoTime() - started);
    };
    Lifecycle lifecycle = new Lifecycle(store, clock, relyingParties);
    lifecycleRef.set(lifecycle);
    LifecycleEndpoints lifecycleEndpoints = new LifecycleEndpoints(adminKeys, lifecycle, bodies);
    RenewalEndpoints renewalEndpoints = new RenewalEndpoints(new RenewalService(
        new RenewalService.Parts(store, profiles, new CertificationRequestCheck(providers),
            authority, enrollmentMetrics, relyingParties, clock)),
        new Heartbeats(store, authority, profiles, clock), bodies);
    Sweeper sweeper = new Sweeper(store, profiles, clock, settings.sweeps(),
        new MicrometerLifecycleMetrics(metrics.registry()));
    sweeper.add("approval-expiry", () -> {
      approvals.expireDue();
      queueMetrics.depth("approval", approvals.pending());
    });
    sweeper.add("anomalies", anomalies::refresh);
    sweeper.add("evidence", () -> store.transact(tx -> tx.evidence().sweep(clock.instant())));
    sweeper.start();
    resources.add(sweeper);
    PlainEndpoints plainEndpoints =
        new PlainEndpoints(authority, theStore, metrics, draining::get);
    http = new HttpServers(
        new HttpServers.Settings(bind, httpsPort, httpPort, tls, tlsPassword,
            authority.caCertificates()),
        json, metrics.registry(),
        app -> {
          enrollmentEndpoints.register(app);
          adminEndpoints.register(app);
          auditEndpoints.register(app);
          lifecycleEndpoints.register(app);
          renewalEndpoints.register(app);
          approvalEndpoints.register(app);
          groupEndpoints.register(app);
          anomalyEndpoints.register(app);
          sloEndpoints.register(app);
          revocationEndpoints.registerApi(app);
        },
        app -> {
          plainEndpoints.register(app);
          revocationEndpoints.registerPlain(app);
        });
    http.start();
    started = true;
    LOG.atInfo().addKeyValue("httpsPort", http.httpsPort())
        .addKeyValue("httpPort", http.httpPort())
        .addKeyValue("data", data.toAbsolutePath())
        .log("enroll started");
  }

  private void auditStart(boolean created, String source) {
    store.transact(tx -> {
      if (created) {
        tx.audit().append(new AuditEvent(options.clock().instant(), "-", "system",
            "ca.created", "ca:" + authority.issuerId(), AuditEvent.SUCCESS, null, null,
            Map.of("rootSha256", authority.rootFingerprint())));
      }
      tx.audit().append(new AuditEvent(options.clock().instant(), "-", "system",
          "config.loaded", "config", AuditEvent.SUCCESS, null, null,
          Map.of("source", source)));
      return null;
    });
  }

  private JdbcStore openStore(EnrollConfig config, Path data) {
    try {
      return config.store().url().isEmpty()
          ? JdbcStore.embedded(data, config.store().poolSize())
          : JdbcStore.open(config.store().url(), options.environment().get("ENROLL_DB_USER"),
              options.environment().get("ENROLL_DB_PASSWORD"), config.store().poolSize(),
              DurationText.parse("store.statementTimeout", config.store().statementTimeout()));
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.sql.SQLException
            && ((java.sql.SQLException) t).getErrorCode() == H2_DATABASE_IN_USE) {
          throw new StartupException("the data directory " + data.toAbsolutePath()
              + " is in use by another Enroll process", e);
        }
      }
      throw e;
    }
  }

  private static void checkPortFree(String bind, int port, String option) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(bind), port));
    } catch (IOException e) {
      throw new StartupException("cannot listen on " + bind + ":" + port + " ("
          + e.getMessage() + "); choose another port with " + option, e);
    }
  }

  private static void createPrivateDirectory(Path directory) {
    try {
      if (!Files.exists(directory)) {
        Files.createDirectories(directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Files.createDirectories(directory.resolve("ca"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeAdminKey(Path file, String key) {
    try {
      dev.enroll.authority.KeyFiles.writeOwnerOnly(file, key + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LOG.atInfo().addKeyValue("file", file).log("bootstrap admin key created");
  }

  private static int portOrFree(int port) {
    if (port != 0) {
      return port;
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static char[] randomPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return java.util.Base64.getEncoder().encodeToString(bytes).toCharArray();
  }

  /** The API port. */
  public int httpsPort() {
    return http.httpsPort();
  }

  /** The plain HTTP port. */
  public int httpPort() {
    return http.httpPort();
  }

  /** The CA. */
  public CertificateAuthority authority() {
    return authority;
  }

  /** The store. */
  public Store store() {
    return store;
  }

  /** The bootstrap admin key, when this start created it; shown once. */
  public Optional<String> bootstrapAdminKey() {
    return bootstrapKey;
  }

  /** Drains in-flight requests, then closes the ports and the store. */
  @Override
  public void close() {
    draining.set(true);
    beforeDrain.forEach(Runnable::run);
    if (http != null) {
      http.close();
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.atWarn().setCause(e).log("resource did not close cleanly");
      }
    }
    if (started) {
      LOG.atInfo().log("enroll stopped");
    }
  }
}
