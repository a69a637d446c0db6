package dev.enroll.audit;

import java.security.PublicKey;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks an audit chain with nothing but its events, its checkpoints and the audit public
 * keys: every hash recomputed, every link followed, every checkpoint's signature and hash
 * checked. Stops at the first problem and names its sequence number.
 */
public final class AuditVerifier {

  /**
   * What verification found.
   *
   * @param ok whether the chain is intact
   * @param events how many events were checked
   * @param headSeq the last verified sequence number (0 when empty)
   * @param headHash the last verified hash
   * @param checkpoints how many checkpoints were verified
   * @param uncovered events after the newest verified checkpoint (intact, but not yet sealed)
   * @param badSeq the first bad sequence number, or 0
   * @param problem what is wrong, or null
   */
  public record Outcome(boolean ok, long events, long headSeq, String headHash,
      int checkpoints, long uncovered, long badSeq, String problem) {}

  private final Map<String, PublicKey> keys = new HashMap<>();

  /**
   * A verifier trusting these audit public keys.
   *
   * @param publicKeys the keys
   */
  public AuditVerifier(List<PublicKey> publicKeys) {
    publicKeys.forEach(key -> keys.put(AuditKey.keyId(key), key));
  }

  /**
   * Verifies a chain.
   *
   * @param events the events in sequence order
   * @param checkpoints the stored checkpoints
   * @param expected a checkpoint kept elsewhere that the chain must still contain, or null
   * @return the outcome
   */
  public Outcome verify(Iterator<ChainedEvent> events, List<Checkpoint> checkpoints,
      Checkpoint expected) {
    TreeMap<Long, Checkpoint> sealed = new TreeMap<>();
    for (Checkpoint checkpoint : checkpoints) {
      if (!signed(checkpoint)) {
        return failed(0, 0, null, 0, checkpoint.seq(), "checkpoint " + checkpoint.seq()
            + " has no valid signature by a known audit key (forged or altered)");
      }
      sealed.put(checkpoint.seq(), checkpoint);
    }
    if (expected != null) {
      if (!signed(expected)) {
        return failed(0, 0, null, 0, expected.seq(), "the expected checkpoint "
            + expected.seq() + " has no valid signature by a known audit key");
      }
      sealed.merge(expected.seq(), expected, (stored, kept) ->
          stored.headHash().equals(kept.headHash()) ? stored : kept);
    }

    long seq = 0;
    String prev = AuditChain.GENESIS;
    int verified = 0;
    long lastSealed = 0;
    while (events.hasNext()) {
      ChainedEvent event = events.next();
      long next = seq + 1;
      if (event.seq() > next) {
        return failed(seq, seq, prev, verified, next, "event " + next
            + " is missing (the chain jumps from " + seq + " to " + event.seq() + ")");
      }
      if (event.seq() < next) {
        return failed(seq, seq, prev, verified, event.seq(), "event " + event.seq()
            + " appears twice or out of order");
      }
      if (!prev.equals(event.prevHash())) {
        return failed(seq, seq, prev, verified, next, "event " + next
            + " does not link to event " + seq + " (an event was inserted, removed or moved)");
      }
      if (!AuditChain.hash(next, event.event(), prev).equals(event.hash())) {
        return failed(seq, seq, prev, verified, next, "event " + next
            + " does not match its hash (a field was changed)");
      }
      Checkpoint checkpoint = sealed.get(next);
      if (checkpoint != null) {
        if (!checkpoint.headHash().equals(event.hash())) {
          return failed(seq, seq, prev, verified, next, "event " + next
              + " differs from what checkpoint " + next + " signed (the chain was rewritten)");
        }
        verified++;
        lastSealed = next;
      }
      seq = next;
      prev = event.hash();
    }
    Map.Entry<Long, Checkpoint> beyond = sealed.higherEntry(seq);
    if (beyond != null) {
      return failed(seq, seq, prev, verified, seq + 1, "the chain ends at event " + seq
          + " but checkpoint " + beyond.getKey() + " covers more (events were cut off)");
    }
    return new Outcome(true, seq, seq, seq == 0 ? null : prev, verified, seq - lastSealed, 0,
        null);
  }

  private boolean signed(Checkpoint checkpoint) {
    PublicKey key = keys.get(checkpoint.keyId());
    return key != null && AuditKey.verify(checkpoint, key);
  }

  private static Outcome failed(long events, long headSeq, String headHash, int checkpoints,
      long badSeq, String problem) {
    return new Outcome(false, events, headSeq, headHash, checkpoints, 0, badSeq, problem);
  }
}
