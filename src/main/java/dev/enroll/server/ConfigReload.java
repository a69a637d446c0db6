package dev.enroll.server;

import dev.enroll.audit.AuditEvent;
import dev.enroll.config.ConfigException;
import dev.enroll.config.ConfigLoader;
import dev.enroll.config.EnrollConfig;
import dev.enroll.config.SharedConfigRepository.Shared;
import dev.enroll.profile.ProfileCatalog;
import dev.enroll.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the profiles without a restart: when the configuration file changes (it is looked
 * at every second) or the process gets SIGHUP. A valid new file is applied at once, whole,
 * and shared through the store so that every node applies it; a broken one is refused, its
 * error logged, and the old profiles stay. Both write an audit event. Only {@code tenants}
 * (profiles) change this way; the other sections take a restart.
 */
final class ConfigReload implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);
  private static final String TOPIC = "config";
  private static final long SETTLE_MILLIS = 500;

  private final Path file;
  private final dev.enroll.attestation.AttestationMethods methods;
  private final AtomicReference<ProfileCatalog> catalog;
  private final Store store;
  private final Clock clock;
  private final ConfigLoader loader = new ConfigLoader();
  private final ScheduledExecutorService executor;
  private volatile String applied;
  private volatile String seen;
  private volatile EnrollConfig running;

  /**
   * Reloading for a configuration file.
   *
   * @param file the file the server started with
   * @param methods the attestation methods profiles may name
   * @param catalog the profiles in force, replaced on reload
   * @param store the store, to share and to audit
   * @param clock the clock
   */
  ConfigReload(Path file, dev.enroll.attestation.AttestationMethods methods,
      AtomicReference<ProfileCatalog> catalog, Store store, Clock clock) {
    this.file = file;
    this.methods = methods;
    this.catalog = catalog;
    this.store = store;
    this.clock = clock;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "enroll-config-reload");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Starts watching. A configuration another node shared after this file last changed is
   * applied first.
   *
   * @param poll how often the file is looked at
   */
  void start(Duration poll) {
    String text = read();
    applied = sha256(text == null ? "" : text);
    try {
      running = text == null ? null : loader.parse(text, file.toString());
    } catch (ConfigException e) {
      running = null;
    }
    seen = applied;
    Optional<Shared> shared = store.transact(tx -> tx.sharedConfig().get());
    if (shared.isPresent() && !shared.get().sha256().equals(applied)
        && shared.get().updatedAt().isAfter(modified())) {
      adopt(shared.get());
    }
    store.onAnnouncement(TOPIC, () -> executor.execute(this::adoptShared));
    executor.scheduleWithFixedDelay(this::checkSafely, poll.toMillis(), poll.toMillis(),
        TimeUnit.MILLISECONDS);
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"),
          signal -> executor.execute(this::checkSafely));
    } catch (IllegalArgumentException e) {
      LOG.atDebug().log("SIGHUP cannot be handled here; the file is still watched");
    }
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).log("configuration check failed; the next one retries");
    }
  }

  /** Applies the file when it changed since it was last looked at. */
  private void check() {
    // A file written a moment ago may be half written: look again next round.
    if (modified().isAfter(Instant.ofEpochMilli(System.currentTimeMillis() - SETTLE_MILLIS))) {
      return;
    }
    String text = read();
    if (text == null) {
      // Gone or unreadable for now (being replaced, say): nothing to apply.
      return;
    }
    String sha = sha256(text);
    if (sha.equals(seen)) {
      return;
    }
    seen = sha;
    if (sha.equals(applied)) {
      return;
    }
    ProfileCatalog next;
    try {
      EnrollConfig parsed = loader.parse(text, file.toString());
      try {
        next = ProfileCatalog.compile(parsed, methods);
      } catch (ConfigException e) {
        throw e.in(file.toString());
      }
    } catch (ConfigException e) {
      String error = e.getMessage();
      LOG.atError().addKeyValue("file", file).addKeyValue("error", error)
          .log("configuration refused; the old one stays");
      audit("config.refused", AuditEvent.REFUSED, "config-invalid",
          Map.of("source", file.toString(), "sha256", sha, "error", cut(error)));
      return;
    }
    warnOfRestart(parsedConfig(text));
    apply(next, sha, file.toString());
    Shared shared = new Shared(text, sha, clock.instant());
    store.transact(tx -> {
      tx.sharedConfig().put(shared);
      tx.announce(TOPIC);
      return null;
    });
  }

  private EnrollConfig parsedConfig(String text) {
    return loader.parse(text, file.toString());
  }

  /** Sections other than {@code tenants} change only with a restart: say so. */
  private void warnOfRestart(EnrollConfig next) {
    EnrollConfig before = running;
    if (before == null) {
      return;
    }
    java.util.List<String> changed = new java.util.ArrayList<>();
    if (!before.server().equals(next.server())) {
      changed.add("server");
    }
    if (!before.ca().equals(next.ca())) {
      changed.add("ca");
    }
    if (!before.store().equals(next.store())) {
      changed.add("store");
    }
    if (!before.audit().equals(next.audit())) {
      changed.add("audit");
    }
    if (!before.lifecycle().equals(next.lifecycle())) {
      changed.add("lifecycle");
    }
    if (!before.revocation().equals(next.revocation())) {
      changed.add("revocation");
    }
    if (!changed.isEmpty()) {
      LOG.atWarn().addKeyValue("sections", String.join(",", changed))
          .log("configuration sections changed that apply only after a restart");
    }
  }

  private void adoptShared() {
    try {
      store.transact(tx -> tx.sharedConfig().get()).ifPresent(this::adopt);
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).log("shared configuration not applied; the next change retries");
    }
  }

  private void adopt(Shared shared) {
    if (shared.sha256().equals(applied)) {
      return;
    }
    try {
      apply(ProfileCatalog.compile(loader.parse(shared.yaml(), "shared configuration"),
          methods), shared.sha256(), "shared by another node");
    } catch (ConfigException e) {
      LOG.atError().addKeyValue("error", e.getMessage())
          .log("shared configuration refused; the old one stays");
    }
  }

  private void apply(ProfileCatalog next, String sha, String source) {
    catalog.set(next);
    applied = sha;
    LOG.atInfo().addKeyValue("source", source).addKeyValue("sha256", sha)
        .log("configuration reloaded");
    audit("config.reloaded", AuditEvent.SUCCESS, null,
        Map.of("source", source, "sha256", sha));
  }

  private void audit(String action, String outcome, String reason, Map<String, Object> details) {
    store.transact(tx -> {
      tx.audit().append(new AuditEvent(clock.instant(), "-", "system", action, "config",
          outcome, reason, null, details));
      return null;
    });
  }

  private String read() {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private Instant modified() {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  private static String cut(String text) {
    return text.length() > 500 ? text.substring(0, 500) : text;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
