package dev.enroll.audit;

/**
 * An audit event with its place in the chain.
 *
 * @param seq its sequence number, from 1 without gaps
 * @param event the event as stored
 * @param prevHash the previous event's hash (64 zeros for the first)
 * @param hash SHA-256 over the canonical form of the event and {@code prevHash}, in hex
 */
public record ChainedEvent(long seq, AuditEvent event, String prevHash, String hash) {}
