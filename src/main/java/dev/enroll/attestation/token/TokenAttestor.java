package dev.enroll.attestation.token;

import dev.enroll.attestation.AttestationRequest;
import dev.enroll.attestation.Attestor;
import dev.enroll.attestation.VerifiedAttestation;
import dev.enroll.audit.AuditEvent;
import dev.enroll.authority.Secrets;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Attestation by a join token: a bearer secret an admin created for one profile, good for a
 * number of uses until it expires. A use is spent in the transaction that issues the
 * credential, so concurrent enrollments never spend more uses than the token has.
 */
public final class TokenAttestor implements Attestor {
  /** The method name. */
  public static final String METHOD = "token";

  /** The claim naming the admin who created the token, whom approval must not be up to. */
  public static final String CREATED_BY = "token.createdBy";

  private final Store store;
  private final Clock clock;

  /**
   * A token attestor.
   *
   * @param store where tokens are kept
   * @param clock the clock
   */
  public TokenAttestor(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public VerifiedAttestation attest(AttestationRequest request) {
    Object secret = request.evidence().get("token");
    if (!(secret instanceof String) || ((String) secret).isEmpty()) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "attestation of type token needs a string field 'token'");
    }
    String hash = Secrets.hash((String) secret);
    JoinToken token = store.transact(tx -> tx.tokens().findBySecretHash(hash))
        .orElseThrow(() -> new EnrollException(ProblemType.TOKEN_INVALID,
            "the join token is not valid"));
    if (!token.tenant().equals(request.profile().tenant())
        || !token.profile().equals(request.profile().name())) {
      throw new EnrollException(ProblemType.TOKEN_PROFILE_MISMATCH,
          "the join token is for another profile");
    }
    if (token.externalId() != null && !token.externalId().equals(request.externalId())) {
      throw new EnrollException(ProblemType.TOKEN_SUBJECT_MISMATCH,
          "the join token is bound to another subject");
    }
    if (!request.now().isBefore(token.expiresAt())) {
      throw new EnrollException(ProblemType.TOKEN_EXPIRED,
          "the join token expired at " + token.expiresAt());
    }
    if (token.usesLeft() <= 0) {
      throw usedUp(token);
    }
    Map<String, Object> claims = Map.of("token.id", token.id(), CREATED_BY,
        token.createdBy());
    return new VerifiedAttestation(METHOD, claims, claims, token.externalId() != null,
        (tx, requestId) -> {
      OptionalInt left = tx.tokens().spend(token.id(), clock.instant());
      if (left.isEmpty()) {
        throw usedUp(token);
      }
      if (left.getAsInt() == 0) {
        tx.audit().append(new AuditEvent(clock.instant(), token.tenant(), "system",
            "token.used-up", "token:" + token.id(), AuditEvent.SUCCESS, null, requestId,
            Map.of("profile", token.profile(), "uses", token.uses())));
      }
    });
  }

  private static EnrollException usedUp(JoinToken token) {
    return new EnrollException(ProblemType.TOKEN_USED_UP,
        "the join token has no uses left (it allowed " + token.uses() + ")");
  }
}
