package dev.enroll.audit;

import java.util.List;
import java.util.Optional;

/**
 * The audit log's storage: events appended inside the transaction that makes the change they
 * record, chained afterwards, and the checkpoints and key that seal the chain.
 */
public interface AuditLog {

  /**
   * Appends an event in the current transaction: it commits or rolls back with the change.
   *
   * @param event the event
   */
  void append(AuditEvent event);

  /**
   * Events not yet chained, oldest first.
   *
   * @param limit the most to return
   * @return row ids and events
   */
  List<Unchained> unchained(int limit);

  /** How many events wait to be chained. */
  long unchainedCount();

  /** The chain's last event, if any. */
  Optional<ChainedEvent> head();

  /**
   * Places an event in the chain.
   *
   * @param rowId the event's row id
   * @param seq its sequence number
   * @param prevHash the previous hash
   * @param hash its hash
   */
  void chain(long rowId, long seq, String prevHash, String hash);

  /**
   * Chained events in sequence order.
   *
   * @param afterSeq return events after this sequence number
   * @param limit the most to return
   * @return the events
   */
  List<ChainedEvent> chained(long afterSeq, int limit);

  /**
   * Stores a checkpoint.
   *
   * @param checkpoint the signed checkpoint
   */
  void addCheckpoint(Checkpoint checkpoint);

  /**
   * Checkpoints in sequence order.
   *
   * @param afterSeq return checkpoints after this sequence number
   * @param limit the most to return
   * @return the checkpoints
   */
  List<Checkpoint> checkpoints(long afterSeq, int limit);

  /** The newest checkpoint, if any. */
  Optional<Checkpoint> latestCheckpoint();

  /**
   * Publishes the audit public key.
   *
   * @param keyId its id
   * @param publicKeyPem its SubjectPublicKeyInfo in PEM
   */
  void publishKey(String keyId, String publicKeyPem);

  /** The published audit public keys in PEM, oldest first. */
  List<String> publishedKeys();

  /**
   * An event waiting for its place in the chain.
   *
   * @param rowId its row id
   * @param event the event as stored
   */
  record Unchained(long rowId, AuditEvent event) {}
}
