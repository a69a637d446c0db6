package dev.enroll.server;

import dev.enroll.authority.AuthorityFiles;
import dev.enroll.authority.KeyType;
import dev.enroll.config.ConfigException;
import dev.enroll.config.DurationText;
import dev.enroll.config.EnrollConfig;
import dev.enroll.lifecycle.Sweeper;
import dev.enroll.observe.ServiceLevels;
import java.time.Clock;
import java.time.Duration;

/**
 * The configuration's sections other than the profiles, checked and parsed once, before
 * anything is created.
 *
 * @param ca the CA's name, key type and validities
 * @param checkpointEvents sign an audit checkpoint after this many events
 * @param checkpointInterval or this long after the last
 * @param sweeps when the lifecycle sweeps run and what they keep
 * @param crlValidity from a CRL's thisUpdate to its nextUpdate
 * @param ocspValidity from an OCSP response's thisUpdate to its nextUpdate
 * @param sloWindow the window the service-level objectives hold over
 * @param sloSuccessTarget the share of automated enrollments that must succeed
 * @param sloLatencyTarget the time to enroll 95% must stay under
 */
record ServerSettings(
    AuthorityFiles.AuthoritySettings ca,
    int checkpointEvents,
    Duration checkpointInterval,
    Sweeper.Schedule sweeps,
    Duration crlValidity,
    Duration ocspValidity,
    Duration sloWindow,
    double sloSuccessTarget,
    Duration sloLatencyTarget) {

  /**
   * Checks and parses the sections.
   *
   * @param config the configuration
   * @param source its file, for messages
   * @return the settings
   * @throws ConfigException naming the file and the key of the first wrong value
   */
  static ServerSettings check(EnrollConfig config, String source) {
    try {
      KeyType type = KeyType.parse(config.ca().keyType());
      if (type == null) {
        throw new ConfigException("ca.keyType", "'" + config.ca().keyType()
            + "' is not a key type (P-256, P-384, P-521, RSA, Ed25519)");
      }
      AuthorityFiles.AuthoritySettings ca = new AuthorityFiles.AuthoritySettings(
          config.ca().name(), type,
          DurationText.parse("ca.rootValidity", config.ca().rootValidity()),
          DurationText.parse("ca.issuingValidity", config.ca().issuingValidity()));
      if (config.audit().checkpointEvents() < 1) {
        throw new ConfigException("audit.checkpointEvents", "must be at least 1");
      }
      Duration checkpointInterval = DurationText.parse("audit.checkpointInterval",
          config.audit().checkpointInterval());
      Sweeper.Schedule sweeps = new Sweeper.Schedule(
          DurationText.parse("lifecycle.sweepInterval", config.lifecycle().sweepInterval()),
          DurationText.parse("lifecycle.offboardRetention",
              config.lifecycle().offboardRetention()));
      Duration crl = DurationText.parse("revocation.crlValidity",
          config.revocation().crlValidity());
      Duration ocsp = DurationText.parse("revocation.ocspValidity",
          config.revocation().ocspValidity());
      DurationText.parse("store.statementTimeout", config.store().statementTimeout());
      EnrollConfig.Slo slo = config.slo();
      if (slo.successTarget() <= 0 || slo.successTarget() >= 1) {
        throw new ConfigException("slo.successTarget", "must lie between 0 and 1, such as"
            + " 0.999");
      }
      return new ServerSettings(ca, config.audit().checkpointEvents(), checkpointInterval,
          sweeps, crl, ocsp, DurationText.parse("slo.window", slo.window()),
          slo.successTarget(), DurationText.parse("slo.latencyTarget", slo.latencyTarget()));
    } catch (ConfigException e) {
      throw e.in(source);
    }
  }

  /**
   * The service levels these objectives are reported against.
   *
   * @param clock the clock
   * @return an empty report, filled as enrollments are answered
   */
  ServiceLevels serviceLevels(Clock clock) {
    return new ServiceLevels(sloWindow, sloSuccessTarget, sloLatencyTarget, clock);
  }
}
