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
 * The issuing CA's CRL: rebuilt on a schedule (at half its lifetime, so a fresh one is
 * always out before the last expires) and within a second of any revocation, with an
 * increasing CRL number kept in the store. Served from memory.
 *
 * <p>TODO(#7): nodes sharing a PostgreSQL each build their own CRL and rebuild it only for
 * their own revocations (or on schedule); keep the newest CRL in the store and tell every
 * node through LISTEN/NOTIFY.
 */
public final class CrlPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CrlPublisher.class);
  private static final long DEBOUNCE_MILLIS = 200;
  private static final List<CredentialStatus> LISTED =
      List.of(CredentialStatus.REVOKED, CredentialStatus.ON_HOLD);

  private final CertificateAuthority authority;
  private final Store store;
  private final Clock clock;
  private final Duration lifetime;
  private final ScheduledExecutorService executor;
  private final AtomicReference<byte[]> current = new AtomicReference<>();
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

  /** Builds the first CRL, then keeps it fresh. */
  public void start() {
    rebuild();
    long half = Math.max(1, lifetime.toMillis() / 2);
    executor.scheduleAtFixedRate(this::rebuildSafely, half, half, TimeUnit.MILLISECONDS);
  }

  /** Asks for a rebuild soon; several asks in a burst make one CRL. */
  public void requestRebuild() {
    if (pending.compareAndSet(false, true)) {
      executor.schedule(() -> {
        pending.set(false);
        rebuildSafely();
      }, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** The current CRL, DER. */
  public byte[] current() {
    return current.get().clone();
  }

  /** The name of the CRL file in URLs: the issuer id. */
  public String fileName() {
    return authority.issuerId() + ".crl";
  }

  private void rebuildSafely() {
    try {
      rebuild();
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("CRL rebuild failed; the previous CRL stays");
    }
  }

  /** Builds and publishes a new CRL now. */
  public synchronized void rebuild() {
    Instant now = clock.instant();
    String issuer = authority.issuerId();
    Object[] state = store.transact(tx -> new Object[] {
        nextNumber(tx, issuer), tx.credentials().byStatus(LISTED)});
    long number = (Long) state[0];
    @SuppressWarnings("unchecked")
    List<Credential> listed = (List<Credential>) state[1];

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
      current.set(crl.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LOG.atDebug().addKeyValue("number", number).addKeyValue("entries", listed.size())
        .log("CRL published");
  }

  private static long nextNumber(dev.enroll.store.Transaction tx, String issuer) {
    return tx.crlNumbers().next(issuer);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
