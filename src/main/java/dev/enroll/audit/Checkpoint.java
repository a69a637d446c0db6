package dev.enroll.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A signed statement that the chain's event {@code seq} has hash {@code headHash}: whoever
 * keeps a copy can later prove the chain up to there was not rewritten or cut short.
 *
 * @param seq the sequence number of the event it covers
 * @param headHash that event's hash
 * @param time when it was signed
 * @param keyId the audit key's id (the SHA-256 of its public key, hex, first 16 digits)
 * @param signature the signature over {@link #signedText()}, base64
 */
public record Checkpoint(long seq, String headHash, Instant time, String keyId,
    String signature) {

  /** The exact bytes the signature covers. */
  public byte[] signedText() {
    return ("enroll-audit-checkpoint-v1\n" + seq + "\n" + headHash + "\n" + time + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
