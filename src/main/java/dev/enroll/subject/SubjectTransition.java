package dev.enroll.subject;

import java.util.EnumSet;
import java.util.Set;

/**
 * The subject state machine, in one place: which operation moves a subject from which
 * states to which.
 *
 * <pre>
 * active --quarantine--> quarantined --reinstate--> active
 * active, quarantined --revoke--> revoked
 * active, quarantined, revoked --offboard--> offboarded (final)
 * </pre>
 */
public enum SubjectTransition {
  /** Suspend a subject's credentials until an admin decides. */
  QUARANTINE(EnumSet.of(SubjectState.ACTIVE), SubjectState.QUARANTINED),
  /** Lift a quarantine. */
  REINSTATE(EnumSet.of(SubjectState.QUARANTINED), SubjectState.ACTIVE),
  /** Revoke every credential for good. */
  REVOKE(EnumSet.of(SubjectState.ACTIVE, SubjectState.QUARANTINED), SubjectState.REVOKED),
  /** Remove the subject: credentials revoked, personal data purged later. */
  OFFBOARD(EnumSet.of(SubjectState.ACTIVE, SubjectState.QUARANTINED, SubjectState.REVOKED),
      SubjectState.OFFBOARDED);

  private final Set<SubjectState> from;
  private final SubjectState to;

  SubjectTransition(Set<SubjectState> from, SubjectState to) {
    this.from = from;
    this.to = to;
  }

  /** Whether the transition may start in a state. */
  public boolean allowedFrom(SubjectState state) {
    return from.contains(state);
  }

  /** The state it leads to. */
  public SubjectState target() {
    return to;
  }

  /** The lower-case name used in audit actions and paths. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
