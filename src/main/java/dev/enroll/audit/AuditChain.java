package dev.enroll.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How events are chained: the hash of an event is SHA-256 over its canonical form, which
 * includes the previous event's hash. The canonical form is compact JSON with the keys of
 * every object sorted, nulls written, and times as ISO-8601 instants.
 */
public final class AuditChain {
  /** The previous hash of the first event. */
  public static final String GENESIS = "0".repeat(64);

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private AuditChain() {}

  /**
   * The canonical form of an event at a place in the chain.
   *
   * @param seq its sequence number
   * @param event the event
   * @param prevHash the previous event's hash
   * @return UTF-8 bytes
   */
  public static byte[] canonical(long seq, AuditEvent event, String prevHash) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("seq", seq);
    fields.put("time", event.time().toString());
    fields.put("tenant", event.tenant());
    fields.put("actor", event.actor());
    fields.put("action", event.action());
    fields.put("target", event.target());
    fields.put("outcome", event.outcome());
    fields.put("reason", event.reason());
    fields.put("requestId", event.requestId());
    fields.put("details", new TreeMap<>(event.details()));
    fields.put("prev", prevHash);
    try {
      return CANONICAL.writeValueAsString(fields).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The hash of an event at a place in the chain.
   *
   * @param seq its sequence number
   * @param event the event
   * @param prevHash the previous event's hash
   * @return lowercase hex SHA-256
   */
  public static String hash(long seq, AuditEvent event, String prevHash) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(canonical(seq, event, prevHash)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Links an event after the chain's head.
   *
   * @param head the previous event, or null for the first
   * @param event the event
   * @return the chained event
   */
  public static ChainedEvent link(ChainedEvent head, AuditEvent event) {
    long seq = head == null ? 1 : head.seq() + 1;
    String prev = head == null ? GENESIS : head.hash();
    return new ChainedEvent(seq, event, prev, hash(seq, event, prev));
  }
}
