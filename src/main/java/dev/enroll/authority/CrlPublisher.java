package dev.enroll.authority;

import dev.enroll.credential.Credential;
import dev.enroll.credential.CredentialStatus;
import dev.enroll.lifecycle.RevocationReason;
import dev.enroll.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuing CA's CRL. The newest one lives in the store, so every node sharing it serves
 * the same CRL: a new one is built within a second of any revocation (by the node that
 * revoked), and at half its lifetime even when nothing changed (by whichever node looks
 * first), each under the store's job lock and with the next CRL number. Nodes hear of a new
 * CRL through the store's announcements and serve it from memory.
 */
public final class CrlPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CrlPublisher.class);
  private static final long DEBOUNCE_MILLIS = 200;
  private static final String TOPIC = "crl";
  private static final List<CredentialStatus> LISTED =
      List.of(CredentialStatus.REVOKED, CredentialStatus.ON_HOLD);

  private final CertificateAuthority authority;
  private final Store store;
  private final Clock clock;
  private final Duration lifetime;
  private final ScheduledExecutorService executor;
  private final AtomicReference<CrlRepository.PublishedCrl> current = new AtomicReference<>();
  private final AtomicBoolean pending = new AtomicBoolean();

  /**
   * A publisher; call {@link #start()}.
   *
   * @param authority the issuing CA
   * @param store the store
   * @param clock the clock
   * @param lifetime from thisUpdate to nextUpdate
   */
  public CrlPublisher(CertificateAuthority authority, Store store, Clock clock,
      Duration lifetime) {
    this.authority = authority;
    this.store = store;
    this.clock = clock;
    this.lifetime = lifetime;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "enroll-crl");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Loads or builds the first CRL, then keeps it fresh. */
  public void start() {
    store.onAnnouncement(TOPIC, () -> executor.execute(this::reloadSafely));
    refresh(false);
    long check = Math.max(100, Math.min(lifetime.toMillis() / 4, 60_000));
    executor.scheduleWithFixedDelay(() -> {
      try {
        refresh(false);
      } catch (RuntimeException e) {
        LOG.atError().setCause(e).log("CRL rebuild failed; the previous CRL stays");
      }
    }, check, check, TimeUnit.MILLISECONDS);
  }

  /** Asks for a new CRL soon; several asks in a burst make one CRL. */
  public void requestRebuild() {
    if (pending.compareAndSet(false, true)) {
      executor.schedule(() -> {
        pending.set(false);
        try {
          refresh(true);
        } catch (RuntimeException e) {
          LOG.atError().setCause(e).log("CRL rebuild failed; the previous CRL stays");
        }
      }, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** The current CRL, DER. */
  public byte[] current() {
    return current.get().der().clone();
  }

  /** The name of the CRL file in URLs: the issuer id. */
  public String fileName() {
    return authority.issuerId() + ".crl";
  }

  /**
   * Publishes a new CRL when asked to, or when the newest is past half its lifetime (or
   * there is none); otherwise serves the newest.
   */
  private synchronized void refresh(boolean force) {
    String issuer = authority.issuerId();
    CrlRepository.PublishedCrl newest = store.transact(tx -> {
      tx.lockJob("crl");
      Optional<CrlRepository.PublishedCrl> latest = tx.crls().latest(issuer);
      Instant now = clock.instant();
      if (!force && latest.isPresent()
          && now.isBefore(latest.get().thisUpdate().plus(lifetime.dividedBy(2)))) {
        return latest.get();
      }
      CrlRepository.PublishedCrl built = build(issuer, tx.crls().next(issuer),
          tx.credentials().byStatus(LISTED), now);
      tx.crls().save(built);
      tx.announce(TOPIC);
      LOG.atDebug().addKeyValue("number", built.number()).log("CRL published");
      return built;
    });
    serve(newest);
  }

  private void reloadSafely() {
    try {
      store.transact(tx -> tx.crls().latest(authority.issuerId())).ifPresent(this::serve);
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).log("CRL reload failed; the previous CRL stays");
    }
  }

  /** Serves a CRL unless a newer one is served already. */
  private void serve(CrlRepository.PublishedCrl crl) {
    current.accumulateAndGet(crl, (served, offered) ->
        served == null || offered.number() > served.number() ? offered : served);
  }

  private CrlRepository.PublishedCrl build(String issuer, long number,
      List<Credential> listed, Instant now) {
    X509v2CRLBuilder builder = new X509v2CRLBuilder(
        authority.keys().issuing().getSubject(), Date.from(now));
    builder.setNextUpdate(Date.from(now.plus(lifetime)));
    for (Credential credential : listed) {
      builder.addCRLEntry(new BigInteger(credential.serial(), 16),
          Date.from(credential.revokedAt()),
          RevocationReason.ofStored(credential.revocationReason()).code());
    }
    try {
      builder.addExtension(Extension.cRLNumber, false,
          new CRLNumber(BigInteger.valueOf(number)));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          new AuthorityKeyIdentifier(authority.issuingKeyIdentifier()));
      X509CRLHolder crl = builder.build(authority.issuingSigner());
      return new CrlRepository.PublishedCrl(issuer, number,
          crl.getThisUpdate().toInstant(), crl.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
