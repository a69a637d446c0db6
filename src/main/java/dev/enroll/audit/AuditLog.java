package dev.enroll.audit;

/** Appends audit events inside the store transaction that makes the change they record. */
public interface AuditLog {

  /**
   * Appends an event in the current transaction: it commits or rolls back with the change.
   *
   * @param event the event
   */
  void append(AuditEvent event);
}
